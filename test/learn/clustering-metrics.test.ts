import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadArrays } from "../../learn/datasets.js";
import type { Features } from "../../learn/estimator.js";
import type { Label } from "../../learn/labels.js";
import {
  type AverageMethod,
  adjustedMutualInfo,
  adjustedRand,
  CLUSTERING_SCORER_NAMES,
  calinskiHarabasz,
  clusteringScorer,
  completeness,
  daviesBouldin,
  fowlkesMallows,
  homogeneity,
  mutualInfo,
  type NoiseHandling,
  normalizedMutualInfo,
  rand,
  SCORER_NAMES,
  type SilhouetteMetric,
  scorer,
  silhouette,
  silhouetteSamples,
  vMeasure,
} from "../../learn/metrics/index.js";
import { throwsValue } from "./value-errors.js";
import { extraVectors } from "./vectors.js";

interface InternalCase {
  name: string;
  X: number[][];
  labels: Label[];
  noise: NoiseHandling;
  silhouette: Partial<Record<SilhouetteMetric, { samples: (number | null)[]; score: number }>>;
  calinskiHarabasz: number;
  daviesBouldin: number;
}

interface ExternalCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  adjustedRand: number;
  rand: number;
  mutualInfo: number;
  normalizedMutualInfo: Record<AverageMethod, number>;
  adjustedMutualInfo: Record<AverageMethod, number>;
  homogeneity: number;
  completeness: number;
  vMeasure: Record<string, number>;
  fowlkesMallows: number;
}

const fixture = extraVectors<{
  internal: InternalCase[];
  digits: { silhouette: number; calinskiHarabasz: number; daviesBouldin: number };
  external: ExternalCase[];
}>("sklearn-clustering.json");

/** Within 1e-9: absolute for scores up to 1 in size, relative above (Calinski–Harabasz runs into the hundreds). */
function close(got: number, want: number, what: string): void {
  assert.ok(Number.isFinite(got), `${what}: ${got} is not finite`);
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got} vs scikit-learn's ${want}`);
}

const AVERAGES: readonly AverageMethod[] = ["arithmetic", "geometric", "min", "max"];

/** Every label comparison: each takes (yTrue, yPred) and its options are optional. */
const COMPARISONS = [
  adjustedRand,
  rand,
  mutualInfo,
  normalizedMutualInfo,
  adjustedMutualInfo,
  homogeneity,
  completeness,
  vMeasure,
  fowlkesMallows,
] as const;

describe("internal clustering scores agree with scikit-learn 1.2 to 1e-9", () => {
  for (const c of fixture.internal) {
    it(`${c.name} (noise ${c.noise})`, () => {
      const noise = c.noise;
      for (const [metric, want] of Object.entries(c.silhouette) as [SilhouetteMetric, { samples: (number | null)[]; score: number }][]) {
        const samples = silhouetteSamples(c.X, c.labels, { metric, noise });
        assert.equal(samples.length, c.X.length);
        want.samples.forEach((value, i) => {
          if (value === null) assert.ok(Number.isNaN(samples[i]), `${metric} sample ${i} is noise: ${samples[i]}`);
          else close(samples[i], value, `${metric} silhouette of row ${i}`);
        });
        close(silhouette(c.X, c.labels, { metric, noise }), want.score, `${metric} silhouette`);
      }
      close(calinskiHarabasz(c.X, c.labels, { noise }), c.calinskiHarabasz, "calinskiHarabasz");
      close(daviesBouldin(c.X, c.labels, { noise }), c.daviesBouldin, "daviesBouldin");
    });
  }

  it("the bundled digits (1797 × 64, 10 classes)", () => {
    const { X, y } = loadArrays("digits");
    close(silhouette(X, y), fixture.digits.silhouette, "silhouette");
    close(calinskiHarabasz(X, y), fixture.digits.calinskiHarabasz, "calinskiHarabasz");
    close(daviesBouldin(X, y), fixture.digits.daviesBouldin, "daviesBouldin");
  });

  it("the fixture covers what the scores must handle", () => {
    const names = fixture.internal.map((c) => c.name).join(" | ");
    for (const part of ["permuted", "string labels", "ties", "singleton", "noise excluded", "zero vector", "repeated point"]) {
      assert.ok(names.includes(part), `no internal case for ${part}`);
    }
  });
});

describe("label comparisons agree with scikit-learn 1.2 to 1e-9", () => {
  for (const c of fixture.external) {
    it(c.name, () => {
      const { yTrue, yPred } = c;
      close(adjustedRand(yTrue, yPred), c.adjustedRand, "adjustedRand");
      close(rand(yTrue, yPred), c.rand, "rand");
      close(mutualInfo(yTrue, yPred), c.mutualInfo, "mutualInfo");
      for (const averageMethod of AVERAGES) {
        close(normalizedMutualInfo(yTrue, yPred, { averageMethod }), c.normalizedMutualInfo[averageMethod], `NMI ${averageMethod}`);
        close(adjustedMutualInfo(yTrue, yPred, { averageMethod }), c.adjustedMutualInfo[averageMethod], `AMI ${averageMethod}`);
      }
      close(normalizedMutualInfo(yTrue, yPred), c.normalizedMutualInfo.arithmetic, "NMI default");
      close(adjustedMutualInfo(yTrue, yPred), c.adjustedMutualInfo.arithmetic, "AMI default");
      close(homogeneity(yTrue, yPred), c.homogeneity, "homogeneity");
      close(completeness(yTrue, yPred), c.completeness, "completeness");
      for (const [beta, want] of Object.entries(c.vMeasure))
        close(vMeasure(yTrue, yPred, { beta: Number(beta) }), want, `vMeasure beta ${beta}`);
      close(vMeasure(yTrue, yPred), c.vMeasure["1.0"], "vMeasure default");
      close(fowlkesMallows(yTrue, yPred), c.fowlkesMallows, "fowlkesMallows");
    });
  }

  it("the fixture covers what the comparisons must handle", () => {
    const names = fixture.external.map((c) => c.name).join(" | ");
    for (const part of ["identical", "renamed", "one cluster against", "its own cluster", "string classes", "DBSCAN noise"]) {
      assert.ok(names.includes(part), `no external case for ${part}`);
    }
  });
});

describe("clustering scores by name", () => {
  const c = fixture.external[0];
  const expected: Record<string, number> = {
    adjustedRand: c.adjustedRand,
    rand: c.rand,
    mutualInfo: c.mutualInfo,
    normalizedMutualInfo: c.normalizedMutualInfo.arithmetic,
    adjustedMutualInfo: c.adjustedMutualInfo.arithmetic,
    homogeneity: c.homogeneity,
    completeness: c.completeness,
    vMeasure: c.vMeasure["1.0"],
    fowlkesMallows: c.fowlkesMallows,
    adjusted_rand_score: c.adjustedRand,
    rand_score: c.rand,
    mutual_info_score: c.mutualInfo,
    normalized_mutual_info_score: c.normalizedMutualInfo.arithmetic,
    adjusted_mutual_info_score: c.adjustedMutualInfo.arithmetic,
    homogeneity_score: c.homogeneity,
    completeness_score: c.completeness,
    v_measure_score: c.vMeasure["1.0"],
    fowlkes_mallows_score: c.fowlkesMallows,
  };

  it("every label comparison is an estimator scorer of predicted labels, greater is better", () => {
    for (const [name, want] of Object.entries(expected)) {
      assert.ok((SCORER_NAMES as string[]).includes(name), `${name} is not a scorer name`);
      const s = scorer(name as never);
      assert.equal(s.name, name);
      assert.equal(s.greaterIsBetter, true);
      assert.equal(s.input, "predictions");
      close(s.score(c.yTrue, c.yPred), want, name);
    }
  });

  it("an estimator scorer refuses a probability matrix", () => {
    throwsValue(() => scorer("adjusted_rand_score").score([0, 1], [[0.2, 0.8]]), '"adjusted_rand_score"', "probability matrix");
  });

  it("clusteringScorer compares with yTrue or scores against X, with the right direction", () => {
    for (const [name, want] of Object.entries(expected)) {
      const s = clusteringScorer(name as never);
      assert.equal(s.input, "truth");
      assert.equal(s.greaterIsBetter, true);
      close(s.score({ yTrue: c.yTrue, labels: c.yPred }), want, name);
    }
    const blobs = fixture.internal[0];
    const data = { X: blobs.X, labels: blobs.labels };
    for (const [name, want, greater] of [
      ["silhouette", blobs.silhouette.euclidean!.score, true],
      ["silhouette_score", blobs.silhouette.euclidean!.score, true],
      ["calinskiHarabasz", blobs.calinskiHarabasz, true],
      ["calinski_harabasz_score", blobs.calinskiHarabasz, true],
      ["daviesBouldin", blobs.daviesBouldin, false],
      ["davies_bouldin_score", blobs.daviesBouldin, false],
    ] as const) {
      const s = clusteringScorer(name);
      assert.equal(s.input, "features");
      assert.equal(s.greaterIsBetter, greater, name);
      close(s.score(data), want, name);
    }
    close(clusteringScorer("silhouette", { metric: "cosine" }).score(data), blobs.silhouette.cosine!.score, "cosine silhouette");
    const dbscan = fixture.internal.find((k) => k.noise === "exclude")!;
    close(
      clusteringScorer("daviesBouldin", { noise: "exclude" }).score({ X: dbscan.X, labels: dbscan.labels }),
      dbscan.daviesBouldin,
      "daviesBouldin without noise",
    );
    assert.equal(new Set(CLUSTERING_SCORER_NAMES).size, CLUSTERING_SCORER_NAMES.length);
    for (const name of CLUSTERING_SCORER_NAMES) assert.equal(clusteringScorer(name).name, name);
    const own = clusteringScorer("rand");
    assert.equal(clusteringScorer(own), own);
  });

  it("clusteringScorer names what is missing or misspelt", () => {
    throwsValue(() => clusteringScorer("silhouete" as never), '"silhouete"', '"silhouette"');
    throwsValue(() => clusteringScorer("nothing-like-it" as never), '"nothing-like-it"', "Known clustering scorers");
    throwsValue(() => clusteringScorer("silhouette").score({ labels: [0, 1] }), '"silhouette"', "X (the clustered rows)");
    throwsValue(() => clusteringScorer("adjustedRand").score({ labels: [0, 1] }), '"adjustedRand"', "yTrue");
    throwsValue(() => clusteringScorer("adjustedRand").score([0, 1] as never), '"adjustedRand"', "[0,1]");
    throwsValue(() => clusteringScorer("adjustedRand", { noise: "exclude" }), '"adjustedRand"', "noise and metric");
    throwsValue(() => clusteringScorer("daviesBouldin", { metric: "cosine" }), '"daviesBouldin"', "silhouette only");
    throwsValue(() => clusteringScorer("silhouette", { noise: "drop" as never }), '"drop"', '"exclude"');
    throwsValue(() => clusteringScorer("silhouette", { metrc: "cosine" } as never), '"metrc"', '"metric"');
  });
});

/** Labels with 2 to 4 clusters over 6 to 30 rows, and a renaming of them. */
const labelPairs = fc
  .integer({ min: 6, max: 30 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
    ),
  );

describe("clustering score properties", () => {
  it("renaming clusters changes nothing; the symmetric scores are symmetric", () => {
    fc.assert(
      fc.property(labelPairs, ([t, p]) => {
        const renamed = p.map((v) => ["e", "d", "c", "b", "a"][v]);
        for (const fn of COMPARISONS) {
          assert.ok(Math.abs(fn(t, p) - fn(t, renamed)) < 1e-12, `${fn.name} changed when the clusters were renamed`);
        }
        for (const fn of [adjustedRand, rand, mutualInfo, normalizedMutualInfo, adjustedMutualInfo, vMeasure, fowlkesMallows]) {
          assert.ok(Math.abs(fn(t, p) - fn(p, t)) < 1e-12, `${fn.name} is not symmetric`);
        }
        assert.ok(Math.abs(homogeneity(t, p) - completeness(p, t)) < 1e-12);
        assert.ok(Math.abs(vMeasure(t, p) - normalizedMutualInfo(t, p)) < 1e-12, "vMeasure(beta 1) is NMI (arithmetic)");
        assert.equal(vMeasure(t, p, { beta: 0 }), homogeneity(t, p));
      }),
    );
  });

  it("beta 0 is homogeneity alone, also where completeness is 0 (no NaN)", () => {
    const t = [0, 0, 0, 0];
    const p = [0, 0, 1, 1];
    assert.equal(completeness(t, p), 0);
    assert.equal(vMeasure(t, p, { beta: 0 }), 1);
  });

  it("with every row alone on both sides, Fowlkes–Mallows is 0 and the other comparisons 1", () => {
    const t = ["a", "c", "b"];
    const p = [7, 2, -1];
    assert.equal(fowlkesMallows(t, p), 0);
    for (const fn of [adjustedRand, rand, normalizedMutualInfo, homogeneity, completeness, vMeasure]) assert.equal(fn(t, p), 1, fn.name);
  });

  it("AMI where E[MI] equals the normaliser (0/0) is 1, not rounding", () => {
    for (const n of [2, 4, 5, 50]) {
      const alone = Array.from({ length: n }, (_, i) => i);
      const shuffled = alone.map((i) => `row ${(i * 7) % n}`);
      for (const averageMethod of AVERAGES)
        assert.equal(adjustedMutualInfo(alone, shuffled, { averageMethod }), 1, `n ${n}, ${averageMethod}`);
    }
    const classes = fixture.external.find((k) => k.name === "every point its own cluster")!.yTrue;
    const alone = classes.map((_, i) => i);
    assert.equal(adjustedMutualInfo(classes, alone, { averageMethod: "min" }), 1);
    assert.equal(adjustedMutualInfo(alone, classes, { averageMethod: "min" }), 1);
    assert.ok(adjustedMutualInfo(alone, classes) < 1e-9, "with the arithmetic mean, singletons are no better than chance");
    // one side unsplit: no information, as in scikit-learn
    assert.equal(adjustedMutualInfo([0, 1, 2], [4, 4, 4], { averageMethod: "min" }), 0);
    assert.equal(adjustedMutualInfo([0, 1], [3, 3]), 0);
  });

  it("identical partitions score the best value, whatever the names", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c"), { minLength: 3, maxLength: 40 }), (t) => {
        // a repeated label: with every row alone no pair is together, and Fowlkes–Mallows is 0 (as in scikit-learn)
        fc.pre(new Set(t).size >= 2 && new Set(t).size < t.length);
        const p = t.map((v) => ({ a: 7, b: -1, c: 2 })[v]);
        for (const fn of [adjustedRand, rand, normalizedMutualInfo, homogeneity, completeness, vMeasure, fowlkesMallows]) {
          assert.ok(Math.abs(fn(t, p) - 1) < 1e-12, `${fn.name}(t, t renamed) = ${fn(t, p)}`);
        }
        assert.ok(Math.abs(adjustedMutualInfo(t, p) - 1) < 1e-9);
      }),
    );
  });

  it("internal scores ignore renaming, and noise excluded equals scoring the clustered rows alone", () => {
    const c = fixture.internal.find((k) => k.noise === "exclude")!;
    const kept = c.labels.map((_, i) => i).filter((i) => c.labels[i] !== -1);
    const X = kept.map((i) => c.X[i]);
    const labels = kept.map((i) => c.labels[i]);
    assert.equal(silhouette(c.X, c.labels, { noise: "exclude" }), silhouette(X, labels));
    assert.equal(calinskiHarabasz(c.X, c.labels, { noise: "exclude" }), calinskiHarabasz(X, labels));
    const renamed = labels.map((v) => `cluster ${v}`);
    assert.ok(Math.abs(silhouette(X, renamed) - silhouette(X, labels)) < 1e-12);
    assert.ok(Math.abs(daviesBouldin(X, renamed) - daviesBouldin(X, labels)) < 1e-12);
    // noise handled as one more cluster is the default, as in scikit-learn
    assert.equal(silhouette(c.X, c.labels), silhouette(c.X, c.labels, { noise: "cluster" }));
    assert.notEqual(silhouette(c.X, c.labels), silhouette(c.X, c.labels, { noise: "exclude" }));
    // a string "-1" is an ordinary label
    const named = c.labels.map(String);
    assert.equal(silhouette(c.X, named, { noise: "exclude" }), silhouette(c.X, named));
  });
});

describe("clustering scores refuse bad input with a ValueError naming it", () => {
  const X: Features = [
    [0, 0],
    [0, 1],
    [5, 5],
    [5, 6],
    [9, 9],
  ];
  const internal = [
    ["silhouette", (x: Features, l: Label[], o?: object) => silhouette(x, l, o as never)],
    ["silhouetteSamples", (x: Features, l: Label[], o?: object) => silhouetteSamples(x, l, o as never)],
    ["calinskiHarabasz", (x: Features, l: Label[], o?: object) => calinskiHarabasz(x, l, o as never)],
    ["daviesBouldin", (x: Features, l: Label[], o?: object) => daviesBouldin(x, l, o as never)],
  ] as const;

  for (const [name, score] of internal) {
    it(`${name}: cluster counts outside 2 … rows − 1, noise, lengths, X`, () => {
      throwsValue(() => score(X, [3, 3, 3, 3, 3]), name, "one cluster only (3)", "2 to 4");
      throwsValue(() => score(X, ["a", "a", "a", "a", "a"]), name, 'one cluster only ("a")');
      throwsValue(() => score(X, [0, 1, 2, 3, 4]), name, "5 clusters for 5 rows", "2 to 4");
      throwsValue(() => score(X.slice(0, 2), [0, 1]), name, "2 clusters for 2 rows", "at least 3 rows");
      throwsValue(() => score(X, [-1, -1, -1, -1, -1]), name, "one cluster only (-1, every row noise");
      throwsValue(() => score(X, [-1, -1, -1, -1, -1], { noise: "exclude" }), name, "all 5 rows are noise (label -1)");
      throwsValue(() => score(X, [0, 0, -1, -1, -1], { noise: "exclude" }), name, "one cluster only (0)", "after leaving out 3 noise rows");
      throwsValue(() => score(X, [0, 0, 1, -1, 1], { noise: "error" }), name, "labels[3] = -1", "1 of 5 rows", '"exclude"');
      throwsValue(() => score(X, [0, 0, 1, 1]), name, "X has 5 rows but labels has 4");
      throwsValue(() => score([...X.slice(0, 4), [9, Number.NaN]], [0, 0, 1, 1, 1]), name, "X[4][1] = NaN");
      throwsValue(() => score([...X.slice(0, 4), [Infinity, 9]], [0, 0, 1, 1, 1]), name, "X[4][0] = Infinity");
      throwsValue(() => score([[0, 0], [1], [2, 2]], [0, 1, 1]), name, "X[1] has 1 features");
      throwsValue(() => score([], []), name, "X has no rows");
      throwsValue(() => score(X, [0, 0, "b", "b", "b"]), name, "mix of label types");
      throwsValue(() => score(X, [0, 0, 1, 1, 1], { noise: "drop" }), name, 'noise must be one of "cluster", "exclude", "error"', '"drop"');
      throwsValue(() => score(X, [0, 0, 1, 1, 1], { nosie: "exclude" }), name, '"nosie"', '"noise"');
      // labels with noise pass when noise is one more cluster (the default) or left out
      for (const noise of [undefined, "cluster", "exclude"]) {
        // silhouetteSamples marks a left-out noise row (the last) with NaN, so that rows still line up with X
        const values = [score(X, [0, 0, 1, 1, -1], { noise })].flat();
        const scored = noise === "exclude" && values.length === 5 ? values.slice(0, 4) : values;
        assert.ok(scored.every(Number.isFinite), `noise ${noise}: ${values}`);
        if (scored !== values) assert.ok(Number.isNaN(values[4]));
      }
    });
  }

  it("silhouette: an unknown metric is named with the closest one", () => {
    throwsValue(() => silhouette(X, [0, 0, 1, 1, 1], { metric: "cosin" as never }), '"cosin"', '"cosine"');
    throwsValue(() => calinskiHarabasz(X, [0, 0, 1, 1, 1], { metric: "cosine" } as never), '"metric"');
  });

  for (const fn of COMPARISONS) {
    it(`${fn.name}: lengths, empty input, label types`, () => {
      throwsValue(() => fn([0, 0, 1], [0, 1]), fn.name, "different lengths (3 and 2)");
      throwsValue(() => fn([], []), fn.name, "empty");
      throwsValue(() => fn([0, "a"], [0, 1]), fn.name, "mix of label types");
      throwsValue(() => fn([0, Number.NaN], [0, 1]), fn.name, "NaN");
      throwsValue(() => fn("0011" as never, [0, 0, 1, 1]), fn.name, "yTrue must be an array", '"0011"');
      // one cluster on one side is a valid comparison, not an error
      assert.ok(Number.isFinite(fn([0, 0, 1, 1], [5, 5, 5, 5])));
    });
  }

  it("averageMethod and beta are checked and named", () => {
    throwsValue(() => normalizedMutualInfo([0, 1], [0, 1], { averageMethod: "geometrical" as never }), '"geometrical"', '"geometric"');
    throwsValue(() => adjustedMutualInfo([0, 1], [0, 1], { averageMethod: "median" as never }), '"median"', '"arithmetic"');
    throwsValue(() => adjustedMutualInfo([0, 1], [0, 1], { average_method: "max" } as never), '"average_method"', '"averageMethod"');
    throwsValue(() => vMeasure([0, 1], [0, 1], { beta: -1 }), "beta", "-1");
    throwsValue(() => vMeasure([0, 1], [0, 1], { beta: Number.NaN }), "beta", "NaN");
    throwsValue(() => vMeasure([0, 1], [0, 1], { beta: "2" as never }), "beta", '"2"');
  });
});
