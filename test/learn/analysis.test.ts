import assert from "node:assert/strict";
import { it, describe as suite } from "node:test";
import { ValueError } from "../../core/errors.js";
import {
  anovaF,
  classBalance,
  correlationMatrix,
  describe,
  featureTargetAssociation,
  mutualInfoClassif,
  toDataFrame,
} from "../../learn/analysis/index.js";
import { loadArrays } from "../../learn/datasets.js";
import { extraVectors } from "./vectors.js";

interface AnalysisVectors {
  describe_wine4_holey: {
    rows: (number | null)[][];
    names: string[];
    stats: Record<"count" | "mean" | "std" | "min" | "25%" | "50%" | "75%" | "max" | "distinct", number>[];
  };
  pearson_wine4_holey: number[][];
  spearman_wine4_holey: number[][];
  f_classif_wine: { F: number[]; p: number[] };
  mutual_info_iris_mean10: number[];
  mutual_info_wine_mean10: number[];
  mutual_info_continuous: { X: number[][]; y: number[]; mi: number[]; mi_k5: number[] };
}

const ref = extraVectors<{ analysis: AnalysisVectors }>("sklearn-models.json").analysis;

function close(actual: number, expected: number, tolerance: number, label = ""): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${label}: ${actual} vs ${expected}`);
}

suite("feature analysis agrees with numpy/scipy/scikit-learn", () => {
  it("describe: counts, missing cells, moments, quartiles, distinct values", () => {
    const { rows, names, stats } = ref.describe_wine4_holey;
    const summary = describe(rows, names);
    summary.forEach((s, j) => {
      const r = stats[j];
      assert.equal(s.feature, names[j]);
      assert.equal(s.count, r.count);
      assert.equal(s.missing, rows.length - r.count);
      assert.equal(s.distinct, r.distinct);
      const pairs: [number | null, number][] = [
        [s.mean, r.mean],
        [s.std, r.std],
        [s.min, r.min],
        [s.q25, r["25%"]],
        [s.median, r["50%"]],
        [s.q75, r["75%"]],
        [s.max, r.max],
      ];
      for (const [a, b] of pairs) close(a!, b, 1e-12, names[j]);
    });
  });

  it("Pearson and Spearman matrices over pairwise complete rows", () => {
    const { rows } = ref.describe_wine4_holey;
    for (const [method, expected] of [
      ["pearson", ref.pearson_wine4_holey],
      ["spearman", ref.spearman_wine4_holey],
    ] as const) {
      const { matrix } = correlationMatrix(rows, { method });
      matrix.forEach((row, j) => {
        row.forEach((v, k) => {
          close(v, expected[j][k], 1e-12, `${method}[${j}][${k}]`);
        });
      });
    }
  });

  it("ANOVA F and its p-value (f_classif)", () => {
    const wine = loadArrays("wine");
    anovaF(wine.X, wine.y).forEach(({ fStatistic, pValue }, j) => {
      close(fStatistic, ref.f_classif_wine.F[j], 1e-10, `F[${j}]`);
      assert.ok(Math.abs(pValue / ref.f_classif_wine.p[j] - 1) < 1e-8, `p[${j}]: ${pValue} vs ${ref.f_classif_wine.p[j]}`);
    });
  });

  it("mutual information equals mutual_info_classif on tie-free data", () => {
    const { X, y, mi, mi_k5 } = ref.mutual_info_continuous;
    mutualInfoClassif(X, y).forEach((v, j) => {
      close(v, mi[j], 1e-9, `mi[${j}]`);
    });
    mutualInfoClassif(X, y, { nNeighbors: 5 }).forEach((v, j) => {
      close(v, mi_k5[j], 1e-9, `mi_k5[${j}]`);
    });
  });

  it("mutual information on tied data matches scikit-learn's mean over noise seeds", () => {
    for (const name of ["iris", "wine"] as const) {
      const data = loadArrays(name);
      const runs = Array.from({ length: 10 }, (_, seed) => mutualInfoClassif(data.X, data.y, { seed }));
      const expected = ref[`mutual_info_${name}_mean10`];
      expected.forEach((value, j) => {
        const mean = runs.reduce((acc, run) => acc + run[j], 0) / runs.length;
        assert.ok(Math.abs(mean - value) < 0.03, `${name}[${j}]: ${mean} vs ${value}`);
      });
    }
  });
});

suite("feature analysis results", () => {
  it("association follows the task", () => {
    const iris = loadArrays("iris");
    const classification = featureTargetAssociation(iris.X, iris.y, { featureNames: iris.featureNames });
    assert.equal(classification.task, "classification");
    assert.equal(classification.features[2].feature, "petal_length_cm");
    if (classification.task === "classification") {
      // Petal length separates the species far better than sepal width.
      assert.ok(classification.features[2].fStatistic > classification.features[1].fStatistic);
      assert.ok(classification.features[2].mutualInformation > classification.features[1].mutualInformation);
    }
    const diabetes = loadArrays("diabetes");
    const regression = featureTargetAssociation(diabetes.X, diabetes.y);
    assert.equal(regression.task, "regression");
    if (regression.task === "regression") {
      const bmi = regression.features[2];
      assert.equal(bmi.feature, "x2");
      assert.ok(bmi.pearson > 0.5 && bmi.spearman > 0.5);
    }
  });

  it("class balance counts and shares", () => {
    assert.deepEqual(classBalance(["b", "a", "b", "b"]), [
      { label: "a", count: 1, share: 0.25 },
      { label: "b", count: 3, share: 0.75 },
    ]);
  });

  it("every result becomes a danfo.js DataFrame", async () => {
    const iris = loadArrays("iris");
    const summary = await toDataFrame(describe(iris.X, iris.featureNames));
    assert.deepEqual(summary.shape, [4, 11]);
    const correlations = await toDataFrame(correlationMatrix(iris.X, { featureNames: iris.featureNames }));
    assert.deepEqual(correlations.columns, iris.featureNames);
    assert.deepEqual(correlations.index, iris.featureNames);
    const association = await toDataFrame(featureTargetAssociation(iris.X, iris.y));
    assert.deepEqual(association.columns, ["feature", "fStatistic", "pValue", "mutualInformation"]);
    const balance = await toDataFrame(classBalance(iris.y));
    assert.deepEqual(balance.shape, [3, 3]);
  });

  it("bad inputs name the value", () => {
    assert.throws(() => describe([]), ValueError);
    assert.throws(() => describe([[1, 2], [3]]), /X\[1\] has 1 values/);
    assert.throws(() => describe([[1, 2]], ["a"]), /1 feature names for 2 columns/);
    assert.throws(() => correlationMatrix([[1]], { method: "kendall" as never }), /"kendall"/);
    assert.throws(() => featureTargetAssociation([[1], [2]], ["a"]), /2 rows but y has 1/);
    assert.throws(() => featureTargetAssociation([[1], [2]], ["a", "b"], { task: "regression" }), /"a"/);
    assert.throws(() => mutualInfoClassif([[1], [2]], ["a", "b"], { nNeighbors: 0 }), /nNeighbors.*0/);
    assert.throws(() => classBalance([]), ValueError);
  });
});
