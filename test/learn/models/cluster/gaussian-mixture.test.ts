import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Rng } from "../../../../core/rng.js";
import { NotFittedError } from "../../../../learn/estimator.js";
import { type CovarianceType, GaussianMixture, type MixtureInit } from "../../../../learn/models/cluster/index.js";
import { throwsValue } from "../../value-errors.js";
import { rows, samePartition } from "./reference.js";

interface ExactCase {
  name: string;
  data: string;
  covarianceType: CovarianceType;
  nComponents: number;
  options: { maxIter: number; tol: number; regCovar: number };
  weightsInit: number[];
  meansInit: number[][];
  precisionsInit: never;
  weights: number[];
  means: number[][];
  covariances: unknown;
  precisionsCholesky: unknown;
  lowerBound: number;
  nIter: number;
  converged: boolean;
  labels: number[];
  probeStep: number;
  predictProba: number[][];
  scoreSamples: number[];
  score: number;
  nParameters: number;
  bic: number;
  aic: number;
}

interface SeededCase {
  data: string;
  covarianceType: CovarianceType;
  nComponents: number;
  /** scikit-learn's lower bound with random_state 0. */
  lowerBound: number;
  /** The distinct lower bounds scikit-learn reaches with random_state 0 … 19, rounded to 9 decimals. */
  lowerBounds: number[];
}

const file = fileURLToPath(new URL("./fixtures/gaussian_mixture_reference.json", import.meta.url));
interface BlobStartCase {
  data: string;
  covarianceType: CovarianceType;
  nComponents: number;
  maxIter: number;
  labels: number[];
  /** Sorted: the components may come in another order. */
  weights: number[];
  lowerBound: number;
  nIter: number;
  converged: boolean;
  bic: number;
  aic: number;
}

const reference = JSON.parse(readFileSync(file, "utf8")) as {
  data: Record<string, number[][]>;
  exact: ExactCase[];
  kmeansStartOnBlobs: BlobStartCase[];
  seeded: SeededCase[];
};
const matrix = (name: string): number[][] => reference.data[name] ?? rows(name);

function flat(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap(flat) : [value as number];
}

/** Every entry within `rel` of the expected entry, relative to that entry (`scaled`: to the largest expected entry). */
function assertClose(actual: unknown, expected: unknown, what: string, { rel = 1e-9, scaled = false } = {}): void {
  const a = flat(actual);
  const e = flat(expected);
  assert.equal(a.length, e.length, `${what}: ${a.length} values, expected ${e.length}`);
  const scale = Math.max(...e.map(Math.abs));
  a.forEach((v, i) => {
    const bound = rel * (scaled ? scale : Math.abs(e[i]));
    assert.ok(Math.abs(v - e[i]) <= bound || v === e[i], `${what}[${i}]: ${v} vs ${e[i]}`);
  });
}

/** n rows around each centre, normal with the given spread, from a seeded generator. */
function blobs(centres: number[][], n: number, spread: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return centres.flatMap((centre) => Array.from({ length: n }, () => centre.map((c) => c + spread * rng.normal())));
}

const threeBlobs = blobs(
  [
    [0, 0],
    [12, 0],
    [0, 12],
  ],
  60,
  1,
  3,
);
const threeBlobLabels = threeBlobs.map((_, i) => Math.floor(i / 60));

describe("GaussianMixture agrees with scikit-learn", () => {
  for (const c of reference.exact) {
    it(`from given weights, means and precisions: ${c.name}`, () => {
      const X = matrix(c.data);
      const model = new GaussianMixture({
        covarianceType: c.covarianceType,
        nComponents: c.nComponents,
        weightsInit: c.weightsInit,
        meansInit: c.meansInit,
        precisionsInit: c.precisionsInit,
        ...c.options,
      });
      const labels = model.fitPredict(X);
      assert.deepEqual(labels, c.labels);
      assert.deepEqual(model.labels, c.labels);
      assert.equal(model.nIter, c.nIter);
      assert.equal(model.converged, c.converged);
      assertClose(model.weights, c.weights, "weights");
      assertClose(model.means, c.means, "means");
      assertClose(model.covariances, c.covariances, "covariances");
      assertClose(model.precisionsCholesky, c.precisionsCholesky, "precisionsCholesky", { scaled: true });
      assertClose(model.lowerBound, c.lowerBound, "lowerBound");
      const probe = X.filter((_, i) => i % c.probeStep === 0);
      assertClose(model.predictProba(probe), c.predictProba, "predictProba");
      assertClose(model.scoreSamples(probe), c.scoreSamples, "scoreSamples", { scaled: true });
      assertClose(model.score(X), c.score, "score");
      assert.equal(model.parameterCount(), c.nParameters);
      assertClose(model.bic(X), c.bic, "bic");
      assertClose(model.aic(X), c.aic, "aic");
    });
  }

  // On well-separated blobs every KMeans run finds the same three groups, so the
  // "kmeans" start is scikit-learn's up to the order of the components.
  for (const c of reference.kmeansStartOnBlobs) {
    it(`"kmeans" start on three blobs, ${c.covarianceType}, maxIter ${c.maxIter}: the fit is scikit-learn's up to component order`, () => {
      const X = matrix(c.data);
      const model = new GaussianMixture({ covarianceType: c.covarianceType, nComponents: c.nComponents, maxIter: c.maxIter, seed: 5 });
      assert.ok(samePartition(model.fitPredict(X), c.labels));
      assert.equal(model.nIter, c.nIter);
      assert.equal(model.converged, c.converged);
      assertClose([...model.weights!].sort(), c.weights, "weights");
      assertClose(model.lowerBound, c.lowerBound, "lowerBound");
      assertClose(model.bic(X), c.bic, "bic");
      assertClose(model.aic(X), c.aic, "aic");
    });
  }

  // Our KMeans draws from another generator than scikit-learn's, so the "kmeans" start
  // differs and a fit may end at another local optimum. With seed 0 these cases end
  // at the optimum scikit-learn reaches with random_state 0; the wine cases but one end elsewhere.
  const sameOptimumAsRandomState0 = new Set([
    "iris full 2",
    "iris full 3",
    "iris full 4",
    "iris diag 2",
    "iris diag 3",
    "iris diag 4",
    "wine scaled diag 4",
  ]);
  const seededName = (c: SeededCase) => `${c.data} ${c.covarianceType} ${c.nComponents}`;
  const seededFit = (c: SeededCase, seed: number, nInit = 1) => {
    const model = new GaussianMixture({ covarianceType: c.covarianceType, nComponents: c.nComponents, seed, nInit });
    model.fit(rows(c.data));
    return model.lowerBound!;
  };

  for (const c of reference.seeded.filter((c) => sameOptimumAsRandomState0.has(seededName(c)))) {
    it(`"kmeans" start, seed 0: the lower bound is scikit-learn's (random_state 0) within 1e-3 on ${seededName(c)}`, () => {
      assert.ok(Math.abs(seededFit(c, 0) - c.lowerBound) < 1e-3, `${seededFit(c, 0)} vs ${c.lowerBound}`);
    });
  }

  it(`"kmeans" start, seed 0: every fit ends at a lower bound scikit-learn reaches from some random_state 0…19`, () => {
    assert.equal(reference.seeded.length, 12);
    for (const c of reference.seeded) {
      const bound = seededFit(c, 0);
      const gap = Math.min(...c.lowerBounds.map((b) => Math.abs(b - bound)));
      assert.ok(gap < 1e-3, `${seededName(c)}: ${bound} is ${gap} from the nearest of ${c.lowerBounds}`);
    }
  });

  it(`"kmeans" start: the best of 10 runs reaches scikit-learn's one-run lower bound (random_state 0) less 1e-3`, () => {
    for (const c of reference.seeded) {
      const bound = seededFit(c, 0, 10);
      assert.ok(bound > c.lowerBound - 1e-3, `${seededName(c)}: ${bound} vs ${c.lowerBound}`);
    }
  });
});

describe("GaussianMixture", () => {
  const iris = rows("iris");

  it("follows the Clusterer contract: labels after fit only, y ignored, fitPredict = labels = predict(X)", () => {
    for (const covarianceType of ["full", "tied", "diag", "spherical"] as const) {
      const model = new GaussianMixture({ nComponents: 3, covarianceType, seed: 2 });
      assert.equal(model.kind, "clusterer");
      assert.equal(model.labels, undefined);
      model.fit(
        iris,
        iris.map(() => "ignored"),
      );
      const labels = [...model.labels!];
      assert.equal(labels.length, iris.length);
      assert.deepEqual(model.predict(iris), labels, covarianceType);
      assert.deepEqual(new GaussianMixture({ nComponents: 3, covarianceType, seed: 2 }).fitPredict(iris), labels, covarianceType);
    }
  });

  it("a seed repeats the fit, whatever the start", () => {
    for (const initParams of ["kmeans", "k-means++", "random", "random_from_data"] as const) {
      const fit = () => {
        const model = new GaussianMixture({ nComponents: 3, initParams, seed: 11, nInit: 2 });
        model.fit(iris);
        return model;
      };
      const [a, b] = [fit(), fit()];
      assert.deepEqual(a.means, b.means, initParams);
      assert.deepEqual(a.covariances, b.covariances, initParams);
      assert.equal(a.lowerBound, b.lowerBound, initParams);
    }
  });

  it("every start finds three well-separated blobs", () => {
    const starts: MixtureInit[] = ["kmeans", "k-means++", "random", "random_from_data"];
    for (const initParams of starts) {
      const model = new GaussianMixture({ nComponents: 3, initParams, seed: 0, nInit: 3 });
      assert.ok(samePartition(model.fitPredict(threeBlobs), threeBlobLabels), initParams);
      assert.equal(model.converged, true, initParams);
    }
  });

  it("BIC is least at the true number of components, three blobs", () => {
    const bic = [1, 2, 3, 4, 5, 6].map((nComponents) => {
      const model = new GaussianMixture({ nComponents, seed: 0, nInit: 2 });
      model.fit(threeBlobs);
      return model.bic(threeBlobs);
    });
    assert.equal(bic.indexOf(Math.min(...bic)), 2, `BIC by components 1…6: ${bic}`);
  });

  it("more runs end no lower than the first, which is the one-run fit", () => {
    for (const seed of [1, 2, 3]) {
      const one = new GaussianMixture({ nComponents: 4, initParams: "random_from_data", seed });
      const five = new GaussianMixture({ nComponents: 4, initParams: "random_from_data", seed, nInit: 5 });
      one.fit(iris);
      five.fit(iris);
      assert.ok(five.lowerBound! >= one.lowerBound!, `seed ${seed}`);
    }
  });

  it("probabilities sum to 1, scores are log-likelihoods, BIC and AIC count the parameters of each covariance type", () => {
    // free parameters on iris (4 features), 3 components: means 12, weights 2, covariances by type
    const counts = { full: 44, tied: 24, diag: 26, spherical: 17 };
    for (const covarianceType of ["full", "tied", "diag", "spherical"] as const) {
      const model = new GaussianMixture({ nComponents: 3, covarianceType, seed: 0 });
      model.fit(iris);
      for (const row of model.predictProba(iris)) assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-12);
      const scores = model.scoreSamples(iris);
      const score = model.score(iris);
      assert.ok(Math.abs(score - scores.reduce((s, v) => s + v, 0) / iris.length) < 1e-12);
      assert.ok(Math.abs(score - model.lowerBound!) < 1e-3, "the lower bound is the mean log-likelihood, one iteration stale");
      assert.equal(model.parameterCount(), counts[covarianceType]);
      assert.ok(Math.abs(model.bic(iris) - (-2 * score * 150 + counts[covarianceType] * Math.log(150))) < 1e-9);
      assert.ok(Math.abs(model.aic(iris) - (-2 * score * 150 + 2 * counts[covarianceType])) < 1e-9);
    }
  });

  it("precisions are the inverses of the covariances", () => {
    const model = new GaussianMixture({ nComponents: 2, seed: 0 });
    model.fit(iris);
    model.covariances!.forEach((cov, k) => {
      const precision = model.precisions![k];
      cov.forEach((row, a) => {
        row.forEach((_, b) => {
          const product = row.reduce((s, v, c) => s + v * precision[c][b], 0);
          assert.ok(Math.abs(product - (a === b ? 1 : 0)) < 1e-9, `component ${k} (${a}, ${b}): ${product}`);
        });
      });
    });
  });

  it("the number of components is taken from the init arrays when nComponents is left out", () => {
    assert.equal(new GaussianMixture().nComponents, 1);
    assert.equal(new GaussianMixture({ weightsInit: [0.25, 0.75] }).nComponents, 2);
    assert.equal(new GaussianMixture({ meansInit: [[0], [1], [2]] }).nComponents, 3);
    assert.equal(new GaussianMixture({ covarianceType: "spherical", precisionsInit: [1, 2, 3, 4] }).nComponents, 4);
  });

  it("duplicated rows: each component sits on one repeated row with regCovar as its variance", () => {
    const X = [...Array.from({ length: 10 }, () => [1, 2]), ...Array.from({ length: 10 }, () => [5, -1])];
    for (const covarianceType of ["full", "diag"] as const) {
      const model = new GaussianMixture({ nComponents: 2, covarianceType, regCovar: 1e-4, seed: 0 });
      const labels = model.fitPredict(X);
      assert.ok(samePartition(labels, [...new Array(10).fill(0), ...new Array(10).fill(1)]), covarianceType);
      const first = labels[0];
      assertClose(model.means![first], [1, 2], "means");
      assertClose(model.means![1 - first], [5, -1], "means");
      assertClose(model.weights, [0.5, 0.5], "weights");
      const expected = covarianceType === "full" ? [1e-4, 0, 0, 1e-4] : [1e-4, 1e-4];
      assertClose((model.covariances as number[][][] | number[][])[0], expected, "covariance", { scaled: true });
    }
  });

  it("without regCovar, a collapsed component is refused with a message that says how to avoid it", () => {
    const X = Array.from({ length: 8 }, () => [3, 3]);
    for (const covarianceType of ["full", "tied", "diag", "spherical"] as const) {
      const model = new GaussianMixture({ nComponents: 2, covarianceType, regCovar: 0, seed: 0 });
      throwsValue(() => model.fit(X), "not positive definite", "regCovar (now 0)", "nComponents");
    }
    const model = new GaussianMixture({ seed: 0 });
    model.fit(X);
    assertClose(
      model.covariances,
      [
        [
          [1e-6, 0],
          [0, 1e-6],
        ],
      ],
      "covariances",
      { scaled: true },
    );
  });

  it("refuses too few rows, wrong widths and predicting before fit", () => {
    throwsValue(() => new GaussianMixture({ nComponents: 5 }).fit(iris.slice(0, 3)), "nComponents=5", "3 rows");
    throwsValue(() => new GaussianMixture().fit([[1, 2]]), "1 row", "at least 2");
    throwsValue(() => new GaussianMixture({ meansInit: [[0, 0]] }).fit(iris), "2 features", "X has 4");
    const fresh = new GaussianMixture();
    for (const call of [
      () => fresh.predict(iris),
      () => fresh.predictProba(iris),
      () => fresh.scoreSamples(iris),
      () => fresh.bic(iris),
      () => fresh.parameterCount(),
    ]) {
      assert.throws(call, NotFittedError);
    }
    const model = new GaussianMixture({ nComponents: 2, seed: 0 });
    model.fit(iris);
    throwsValue(() => model.predict([[1, 2]]), "2 features", "fitted on 4");
    throwsValue(() => model.predictProba([[1, 2, 3]]), "3 features", "fitted on 4");
  });

  it("refuses bad options with a message that names them", () => {
    const make = (options: object) => () => new GaussianMixture(options as never);
    throwsValue(make({ nComponent: 3 }), 'Did you mean "nComponents"');
    throwsValue(make({ nComponents: 0 }), "nComponents", "0");
    throwsValue(make({ covarianceType: "Diag" }), "covarianceType", '"Diag"', 'Did you mean "diag"');
    throwsValue(make({ initParams: "kmean" }), "initParams", 'Did you mean "kmeans"');
    throwsValue(make({ tol: -1 }), "tol", "-1");
    throwsValue(make({ regCovar: Number.NaN }), "regCovar", "NaN");
    throwsValue(make({ maxIter: 0 }), "maxIter", "0");
    throwsValue(make({ nInit: 1.5 }), "nInit", "1.5");
    throwsValue(make({ seed: -1 }), "seed", "-1");
    throwsValue(make({ weightsInit: [0.5, 0.6] }), "weightsInit", "sum to 1");
    throwsValue(make({ weightsInit: [1.5, -0.5] }), "weightsInit", "[0, 1]");
    throwsValue(make({ nComponents: 3, weightsInit: [0.5, 0.5] }), "weightsInit gives 2", "nComponents is 3");
    throwsValue(make({ meansInit: [[0, 1], [2]] }), "meansInit[1]");
    throwsValue(make({ nComponents: 2, meansInit: [[0], [1], [2]] }), "meansInit", "2×d");
    throwsValue(
      make({
        precisionsInit: [
          [
            [1, 0],
            [0, -1],
          ],
        ],
      }),
      "precisionsInit[0]",
      "positive definite",
    );
    throwsValue(
      make({
        precisionsInit: [
          [
            [1, 0.5],
            [0, 1],
          ],
        ],
      }),
      "precisionsInit[0]",
      "symmetric",
    );
    throwsValue(make({ precisionsInit: [[[1, 0], [0]]] }), "precisionsInit[0][1]");
    throwsValue(
      make({
        covarianceType: "tied",
        precisionsInit: [
          [1, 0, 0],
          [0, 1, 0],
        ],
      }),
      "precisionsInit",
      "d×d",
    );
    throwsValue(make({ covarianceType: "diag", precisionsInit: [[1, 0]] }), "precisionsInit[0][1]", "positive");
    throwsValue(make({ covarianceType: "spherical", nComponents: 2, precisionsInit: [1] }), "precisionsInit", "2 numbers");
    throwsValue(make({ meansInit: [[0, 0]], precisionsInit: [[[1]]] }), "precisionsInit is for 1 features", "meansInit has 2");
  });

  it("types the covariances by covarianceType", () => {
    const diag = new GaussianMixture({ covarianceType: "diag", nComponents: 2, seed: 0 });
    diag.fit(iris);
    const variances: number[][] | undefined = diag.covariances;
    assert.equal(variances!.length, 2);
    assert.equal(variances![0].length, 4);
    const spherical = new GaussianMixture({ covarianceType: "spherical", nComponents: 2, seed: 0 });
    spherical.fit(iris);
    const single: number[] | undefined = spherical.covariances;
    assert.equal(single!.length, 2);
  });
});
