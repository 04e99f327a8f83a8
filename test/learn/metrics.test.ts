import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../core/errors.js";
import type { Label } from "../../learn/labels.js";
import { confusionMatrix, makeScorer, metrics, type NoiseHandling, SCORER_NAMES, scorer } from "../../learn/metrics/index.js";
import { extraVectors, type MetricVector, sklearnVectors } from "./vectors.js";

const NAMES: Record<string, keyof typeof metrics> = {
  accuracy: "accuracy",
  balanced_accuracy: "balancedAccuracy",
  precision: "precision",
  recall: "recall",
  f1: "f1",
  matthews_corrcoef: "matthewsCorrcoef",
  cohen_kappa: "cohenKappa",
  roc_auc: "rocAuc",
  log_loss: "logLoss",
  mse: "mse",
  rmse: "rmse",
  mae: "mae",
  r2: "r2",
  explained_variance: "explainedVariance",
  mape: "mape",
};

function run(v: MetricVector): number {
  const options = Object.fromEntries(
    Object.entries(v.args ?? {}).map(([k, value]) => [k.replace(/_(.)/g, (_, c: string) => c.toUpperCase()), value]),
  );
  const fn = metrics[NAMES[v.metric]] as (yTrue: unknown, output: unknown, options: unknown) => number;
  return fn(v.inputs.y_true, v.inputs.y_pred ?? v.inputs.y_score, options);
}

/** scikit-learn 1.2's clustering scores, from fixtures/make_sklearn_clustering.py (checked in depth by clustering-metrics.test.ts). */
const clustering = extraVectors<{
  internal: { name: string; X: number[][]; labels: Label[]; noise: NoiseHandling; silhouette: { euclidean?: { score: number } } }[];
  external: ({ name: string; yTrue: Label[]; yPred: Label[] } & Record<string, unknown>)[];
}>("sklearn-clustering.json");

const INTERNAL = ["silhouette", "calinskiHarabasz", "daviesBouldin"] as const;
const COMPARISONS = [
  "adjustedRand",
  "rand",
  "mutualInfo",
  "normalizedMutualInfo",
  "adjustedMutualInfo",
  "homogeneity",
  "completeness",
  "vMeasure",
  "fowlkesMallows",
] as const;

/** A comparison's default value in the fixture: a number, or the arithmetic mean / beta 1 entry of its variants. */
function defaultValue(value: unknown): number {
  if (typeof value === "number") return value;
  const variants = value as Record<string, number>;
  return variants.arithmetic ?? variants["1.0"];
}

function close(got: number, want: number, what: string): void {
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
}

describe("metrics agree with scikit-learn to 1e-9", () => {
  const extra = extraVectors<{ metrics: MetricVector[] }>("sklearn-extra.json");
  const covered = new Set<string>();
  /** Clustering metrics checked, by their names in `metrics`. */
  const clusteringCovered = new Set<string>();
  for (const [source, vectors] of [
    ["shared", sklearnVectors.metrics],
    ["extra", extra.metrics],
  ] as const) {
    vectors.forEach((v, i) => {
      it(`${source} #${i}: ${v.metric}(${JSON.stringify(v.args ?? {})})`, () => {
        covered.add(v.metric);
        const got = run(v);
        assert.ok(Math.abs(got - v.value) <= 1e-9 * Math.max(1, Math.abs(v.value)), `${got} vs ${v.value}`);
      });
    });
  }
  clustering.internal.forEach((c, i) => {
    it(`clustering #${i}: ${c.name} (noise ${c.noise})`, () => {
      for (const name of INTERNAL) {
        const want = name === "silhouette" ? c.silhouette.euclidean?.score : (c as unknown as Record<string, number>)[name];
        if (want === undefined) continue;
        close(metrics[name](c.X, c.labels, { noise: c.noise }), want, name);
        clusteringCovered.add(name);
      }
    });
  });
  clustering.external.forEach((c, i) => {
    it(`clustering comparison #${i}: ${c.name}`, () => {
      for (const name of COMPARISONS) {
        close(metrics[name](c.yTrue, c.yPred), defaultValue(c[name]), name);
        clusteringCovered.add(name);
      }
    });
  });
  it("every metric has a vector", () => {
    const names = new Set([...[...covered].map((m) => NAMES[m]), ...clusteringCovered]);
    assert.deepEqual([...names].sort(), Object.keys(metrics).sort());
  });
});

describe("metric properties", () => {
  it("perfect predictions score the best value", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c"), { minLength: 2, maxLength: 40 }), (y) => {
        fc.pre(new Set(y).size >= 2);
        assert.equal(metrics.accuracy(y, y), 1);
        assert.equal(metrics.balancedAccuracy(y, y), 1);
        assert.equal(metrics.f1(y, y, { average: "macro" }), 1);
        assert.ok(Math.abs(metrics.matthewsCorrcoef(y, y) - 1) < 1e-12);
        assert.ok(Math.abs(metrics.cohenKappa(y, y) - 1) < 1e-12);
      }),
    );
  });

  it("ROC AUC equals the share of correctly ordered positive/negative pairs (ties half)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 50 }), (rows) => {
        const y = rows.map(([positive]) => (positive ? 1 : 0));
        fc.pre(new Set(y).size === 2);
        const scores = rows.map(([, s]) => s);
        let pairs = 0;
        let wins = 0;
        rows.forEach(([p, s]) => {
          if (!p) return;
          rows.forEach(([q, t]) => {
            if (q) return;
            pairs++;
            wins += s > t ? 1 : s === t ? 0.5 : 0;
          });
        });
        assert.ok(Math.abs(metrics.rocAuc(y, scores) - wins / pairs) < 1e-12);
      }),
    );
  });

  it("micro-averaged F1 equals accuracy on multiclass labels", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 40 }),
        (pairs) => {
          const yTrue = pairs.map(([t]) => t);
          const yPred = pairs.map(([, p]) => p);
          assert.ok(Math.abs(metrics.f1(yTrue, yPred, { average: "micro" }) - metrics.accuracy(yTrue, yPred)) < 1e-12);
        },
      ),
    );
  });

  it("rmse is the square root of mse, r2 of the mean predictor is 0", () => {
    const y = [3, 1, 4, 1, 5, 9, 2, 6];
    const p = [2.5, 1, 4, 2, 5, 8, 2, 7];
    assert.ok(Math.abs(metrics.rmse(y, p) - Math.sqrt(metrics.mse(y, p))) < 1e-15);
    const average = y.reduce((a, b) => a + b) / y.length;
    assert.ok(
      Math.abs(
        metrics.r2(
          y,
          y.map(() => average),
        ),
      ) < 1e-15,
    );
  });

  it("confusion matrix rows are true classes", () => {
    assert.deepEqual(confusionMatrix(["a", "b", "b"], ["b", "b", "a"]), {
      labels: ["a", "b"],
      matrix: [
        [0, 1],
        [1, 1],
      ],
    });
  });
});

describe("directions and scorers", () => {
  it("every metric knows its direction", () => {
    const lower = ["logLoss", "mse", "rmse", "mae", "mape", "daviesBouldin"];
    for (const [name, fn] of Object.entries(metrics)) assert.equal(fn.greaterIsBetter, !lower.includes(name), name);
    assert.equal(metrics.f1.name, "f1");
  });

  it("scorers score labels, probabilities and regression values", () => {
    assert.equal(scorer("accuracy").score(["a", "b"], ["a", "a"]), 0.5);
    assert.equal(scorer("mse").greaterIsBetter, false);
    assert.equal(scorer("neg_mean_squared_error").greaterIsBetter, true);
    assert.equal(scorer("neg_mean_squared_error").score([1, 2], [2, 2]), -0.5);
    const proba = [
      [0.8, 0.2],
      [0.3, 0.7],
      [0.6, 0.4],
    ];
    const auc = scorer("rocAuc");
    assert.equal(auc.input, "probabilities");
    assert.equal(auc.score(["no", "yes", "yes"], proba, ["no", "yes"]), metrics.rocAuc(["no", "yes", "yes"], [0.2, 0.7, 0.4]));
    assert.ok(Math.abs(scorer("neg_log_loss").score([0, 1, 1], proba, [0, 1]) + metrics.logLoss([0, 1, 1], proba)) < 1e-15);
    const custom = makeScorer("hits", (t, p) => t.filter((v, i) => v === p[i]).length);
    assert.equal(scorer(custom), custom);
    for (const name of SCORER_NAMES) assert.equal(scorer(name).name, name);
  });
});

function throwsValue(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe("one-vs-one ROC AUC", () => {
  it("is 1 when each class's own column ranks it first, and 0.5 for uninformative scores", () => {
    const y = ["a", "b", "c", "a", "b", "c"];
    const sharp = y.map((label) => ["a", "b", "c"].map((c) => (c === label ? 0.8 : 0.1)));
    assert.equal(metrics.rocAuc(y, sharp, { multiClass: "ovo" }), 1);
    const flat = y.map(() => [1 / 3, 1 / 3, 1 / 3]);
    assert.equal(metrics.rocAuc(y, flat, { multiClass: "ovo", average: "weighted" }), 0.5);
  });

  it("scores only the pairs of classes present in yTrue (a labelled class may be absent)", () => {
    const y = ["a", "b", "a", "b"];
    const proba = [
      [0.7, 0.2, 0.1],
      [0.3, 0.6, 0.1],
      [0.5, 0.4, 0.1],
      [0.1, 0.1, 0.8],
    ];
    const pair = metrics.rocAuc(y, proba, { multiClass: "ovo", labels: ["a", "b", "c"] });
    // One pair (a, b): AUC of column a for "is a" (1) and of column b for "is b" (0.5), averaged.
    assert.equal(pair, 0.75);
  });
});

describe("metric errors", () => {
  it("length mismatch and empty input", () => {
    throwsValue(() => metrics.accuracy([1, 2, 3], [1, 2]), "3", "2");
    throwsValue(() => metrics.mse([], []), "empty");
    throwsValue(() => metrics.rocAuc([0, 1], [0.5]), "2", "1");
  });

  it("single class for ROC AUC, log loss with one label", () => {
    throwsValue(() => metrics.rocAuc([1, 1, 1], [0.2, 0.4, 0.9]), "only one class", "1");
    throwsValue(
      () =>
        metrics.rocAuc(
          ["b", "b"],
          [
            [0.2, 0.8],
            [0.6, 0.4],
          ],
          { labels: ["a", "b"] },
        ),
      "only one class",
      '"b"',
    );
    throwsValue(
      () =>
        metrics.logLoss(
          ["a", "a"],
          [
            [0.5, 0.5],
            [0.2, 0.8],
          ],
        ),
      "only one label",
      '"a"',
    );
  });

  it("multiclass targets need the right options", () => {
    throwsValue(() => metrics.f1([0, 1, 2], [0, 1, 1]), "multiclass", '"binary"', "macro");
    throwsValue(() => metrics.f1(["x", "y"], ["x", "x"]), "posLabel=1", '["x","y"]');
    throwsValue(() => metrics.rocAuc([0, 1, 2], [0.1, 0.5, 0.9]), "3 classes", "multiClass");
    throwsValue(
      () =>
        metrics.rocAuc(
          [0, 1, 2],
          [
            [0.6, 0.2, 0.2],
            [0.2, 0.6, 0.2],
            [0.2, 0.2, 0.6],
          ],
        ),
      '"ovr"',
      '"ovo"',
    );
    throwsValue(
      () =>
        metrics.rocAuc(
          [0, 1, 2],
          [
            [0.6, 0.2, 0.2],
            [0.2, 0.6, 0.2],
            [0.2, 0.2, 0.6],
          ],
          { multiClass: "ovx" as never },
        ),
      '"ovx"',
    );
    throwsValue(
      () =>
        metrics.rocAuc(
          [0, 1, 2],
          [
            [0.5, 0.5, 0.5],
            [0.2, 0.3, 0.5],
            [0.1, 0.1, 0.8],
          ],
          { multiClass: "ovo" },
        ),
      "row 0",
      "1.5",
    );
    throwsValue(
      () =>
        metrics.rocAuc(
          [0, 1, 2],
          [
            [0.5, 0.5, 0.5],
            [0.2, 0.3, 0.5],
            [0.1, 0.1, 0.8],
          ],
          { multiClass: "ovr" },
        ),
      "row 0",
      "1.5",
    );
    throwsValue(
      () =>
        metrics.rocAuc(
          [0, 1, 2],
          [
            [0.5, 0.5],
            [0.2, 0.8],
            [0.1, 0.9],
          ],
          { multiClass: "ovr" },
        ),
      "3",
      "columns in scores (2)",
    );
    throwsValue(
      () =>
        metrics.logLoss(
          [0, 1, 2],
          [
            [0.5, 0.5],
            [0.2, 0.8],
            [0.1, 0.9],
          ],
        ),
      "3 and 2",
    );
    throwsValue(() => metrics.f1([0, 1], [0, 1], { average: "samples" as never }), '"samples"');
  });

  it("non-finite or mixed inputs", () => {
    throwsValue(() => metrics.mae([1, Number.NaN], [1, 2]), "yTrue[1]", "NaN");
    throwsValue(() => metrics.accuracy([1, "a"], [1, 1]), "mix");
    throwsValue(() => metrics.r2([1], [1]), "fewer than two rows", "1");
    throwsValue(() => scorer("mse").score(["a", "b"], ["a", "b"]), '"a"', "numbers");
  });

  it("unknown scorer names suggest the closest", () => {
    throwsValue(() => scorer("acuracy" as never), '"acuracy"', '"accuracy"');
    throwsValue(() => scorer("nothing-like-it" as never), "Known scorers");
  });
});
