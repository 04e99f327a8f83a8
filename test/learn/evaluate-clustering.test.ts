/** evaluateClustering: scores against scikit-learn 1.2, stability, noise, and the trial attributes a real study keeps. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateClustering } from "../../learn/evaluate-clustering.js";
import { AgglomerativeClustering } from "../../learn/models/cluster/agglomerative.js";
import { DBSCAN } from "../../learn/models/cluster/dbscan.js";
import { KMeans } from "../../learn/models/cluster/kmeans.js";
import { makePipeline } from "../../learn/pipeline.js";
import { StandardScaler } from "../../learn/preprocessing.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import { createStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";
import { samePartition } from "./models/cluster/reference.js";
import { rejectsValue } from "./value-errors.js";
import { extraVectors } from "./vectors.js";

setVerbosity("silent");

interface Fixture {
  blobs: {
    X: number[][];
    y: number[];
    kmeans: Record<string, { silhouette: number; inertia: number; labels?: number[]; calinskiHarabasz?: number; daviesBouldin?: number }>;
    scaledKmeans3: { labels: number[]; silhouetteTransformed: number; silhouetteInput: number };
  };
  triangle: { X: number[][]; y: number[] };
  noisy: {
    X: number[][];
    eps: number;
    minSamples: number;
    labels: number[];
    silhouetteNoiseCluster: number;
    silhouetteNoiseExcluded: number;
  };
}

const fixture = extraVectors<Fixture>("sklearn-evaluate-clustering.json");
const { blobs, triangle, noisy } = fixture;

function close(got: number | undefined, want: number, what: string): void {
  assert.ok(got !== undefined && Number.isFinite(got), `${what}: ${got} is not finite`);
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got} vs scikit-learn's ${want}`);
}

const kmeans = (nClusters: number) => () => new KMeans({ nClusters, seed: 0 });

describe("evaluateClustering agrees with scikit-learn 1.2", () => {
  it("KMeans with the true k on three blobs: partition, silhouette, Calinski–Harabasz, Davies–Bouldin, inertia, ARI", async () => {
    const want = blobs.kmeans["3"];
    const result = await evaluateClustering(kmeans(3), blobs.X, {
      scoring: ["silhouette", "calinskiHarabasz", "daviesBouldin", "adjustedRand"],
      yTrue: blobs.y,
    });
    assert.ok(samePartition(result.labels, want.labels!));
    close(result.scores.silhouette, want.silhouette, "silhouette");
    close(result.scores.calinskiHarabasz, want.calinskiHarabasz!, "calinskiHarabasz");
    close(result.scores.daviesBouldin, want.daviesBouldin!, "daviesBouldin");
    close(result.inertia, want.inertia, "inertia");
    assert.equal(result.scores.adjustedRand, 1);
    assert.deepEqual([result.score, result.greaterIsBetter, result.nClusters, result.nNoise], [result.scores.silhouette, true, 3, 0]);
    assert.ok(result.fitTime >= 0);
    assert.equal(result.stability, undefined);
  });

  it("the silhouette picks the true k, as scikit-learn's does; the first scoring sets the direction", async () => {
    const silhouettes: Record<string, number> = {};
    for (const k of Object.keys(blobs.kmeans)) silhouettes[k] = (await evaluateClustering(kmeans(Number(k)), blobs.X)).score;
    const best = (values: Record<string, number>) => Object.entries(values).sort((a, b) => b[1] - a[1])[0][0];
    assert.equal(best(silhouettes), "3");
    assert.equal(best(Object.fromEntries(Object.entries(blobs.kmeans).map(([k, v]) => [k, v.silhouette]))), "3");
    const db = await evaluateClustering(kmeans(3), blobs.X, { scoring: ["daviesBouldin", "silhouette"] });
    assert.deepEqual([db.score, db.greaterIsBetter], [db.scores.daviesBouldin, false]);
  });

  it("a pipeline is scored where its clusterer works (space transformed) or on X as given (space input)", async () => {
    const make = () => makePipeline(new StandardScaler(), new KMeans({ nClusters: 3, seed: 0 }));
    const want = blobs.scaledKmeans3;
    const transformed = await evaluateClustering(make, blobs.X);
    assert.ok(samePartition(transformed.labels, want.labels));
    close(transformed.score, want.silhouetteTransformed, "silhouette after scaling");
    const input = await evaluateClustering(make, blobs.X, { space: "input" });
    close(input.score, want.silhouetteInput, "silhouette on X");
    assert.notEqual(transformed.score, input.score);
    assert.ok(transformed.inertia !== undefined, "the final KMeans's inertia");
  });

  it("DBSCAN's noise is counted, and scored as one more cluster or left out as noise says", async () => {
    const make = () => new DBSCAN({ eps: noisy.eps, minSamples: noisy.minSamples });
    const asCluster = await evaluateClustering(make, noisy.X);
    assert.deepEqual(asCluster.labels, noisy.labels);
    assert.deepEqual([asCluster.nClusters, asCluster.nNoise, asCluster.inertia], [2, 4, undefined]);
    close(asCluster.score, noisy.silhouetteNoiseCluster, "noise as a cluster");
    const excluded = await evaluateClustering(make, noisy.X, { noise: "exclude", scoring: ["silhouette", "calinskiHarabasz"] });
    close(excluded.score, noisy.silhouetteNoiseExcluded, "noise left out");
    await rejectsValue(evaluateClustering(make, noisy.X, { noise: "error" }), "DBSCAN(eps=0.8, minSamples=4", "4 noise rows", "-1");
  });
});

describe("stability under bootstrap resampling", () => {
  it("is about 1 for the right k and clearly lower for a wrong one (three equidistant blobs, k = 3 against 2)", async () => {
    const right = (await evaluateClustering(kmeans(3), triangle.X, { stability: true })).stability!;
    const wrong = (await evaluateClustering(kmeans(2), triangle.X, { stability: true })).stability!;
    assert.equal(right.pairs.length, 45, "10 resamples, every pair");
    assert.ok(right.mean > 0.98, `k = 3: ${right.mean}`);
    assert.ok(wrong.mean < right.mean - 0.2, `k = 2: ${wrong.mean} against k = 3: ${right.mean}`);
    assert.ok(wrong.std > right.std);
    const mean = wrong.pairs.reduce((a, b) => a + b, 0) / wrong.pairs.length;
    assert.ok(Math.abs(mean - wrong.mean) < 1e-12);
  });

  it("is reproducible by seed, and changes with it", async () => {
    const run = (seed: number) => evaluateClustering(kmeans(2), triangle.X, { stability: { resamples: 4, seed } });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    assert.deepEqual(a.stability, b.stability);
    assert.equal(a.stability!.pairs.length, 6);
    assert.notDeepEqual(a.stability!.pairs, c.stability!.pairs);
  });

  it("works for clusterers that cannot label new rows", async () => {
    const result = await evaluateClustering(() => new AgglomerativeClustering({ nClusters: 3 }), triangle.X, {
      stability: { resamples: 3 },
      scoring: ["silhouette", "vMeasure"],
      yTrue: triangle.y,
    });
    assert.ok(result.stability!.mean > 0.9);
    assert.ok(result.scores.vMeasure > 0.9);
  });
});

describe("in a study", () => {
  it("keeps n_clusters, n_noise and cluster_scores (with inertia and stability) in each trial's user attributes", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), direction: "maximize", sampler: "random", seed: 3 });
    await study.optimize(
      async (trial) => {
        const k = trial.suggestInt("k", 2, 5);
        const result = await evaluateClustering(kmeans(k), blobs.X, {
          scoring: ["silhouette", "daviesBouldin"],
          stability: { resamples: 3 },
          trial,
        });
        return result.score;
      },
      { nTrials: 5 },
    );
    const trials = await study.trials();
    assert.equal(trials.length, 5);
    for (const t of trials) {
      assert.equal(t.state, "COMPLETE");
      const k = t.params.k as number;
      assert.equal(t.userAttrs.n_clusters, k);
      assert.equal(t.userAttrs.n_noise, 0);
      const scores = t.userAttrs.cluster_scores as Record<string, number>;
      assert.deepEqual(Object.keys(scores).sort(), ["daviesBouldin", "inertia", "silhouette", "stability"]);
      assert.equal(scores.silhouette, t.value);
      const again = await evaluateClustering(kmeans(k), blobs.X, { stability: { resamples: 3 } });
      assert.equal(scores.inertia, again.inertia);
      assert.equal(scores.stability, again.stability!.mean);
    }
    const best = await study.best();
    assert.equal(best.params.k, 3, "k = 3 has the best silhouette on three blobs");
  });

  it("a DBSCAN trial records its noise; no inertia or stability unless there is one", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), direction: "maximize", sampler: "random", seed: 1 });
    await study.optimize(
      async (trial) =>
        (await evaluateClustering(() => new DBSCAN({ eps: noisy.eps, minSamples: noisy.minSamples }), noisy.X, { trial, noise: "exclude" }))
          .score,
      { nTrials: 1 },
    );
    const [t] = await study.trials();
    assert.deepEqual([t.userAttrs.n_clusters, t.userAttrs.n_noise], [2, 4]);
    assert.deepEqual(Object.keys(t.userAttrs.cluster_scores as object), ["silhouette"]);
  });

  it("a multi-objective study maximises the silhouette and minimises the number of clusters", async () => {
    const study = await createStudy({
      storage: new InMemoryStorage(),
      directions: ["maximize", "minimize"],
      sampler: "random",
      seed: 5,
    });
    await study.optimize(
      async (trial) => {
        const result = await evaluateClustering(kmeans(trial.suggestInt("k", 2, 6)), blobs.X, { trial });
        return [result.score, result.nClusters];
      },
      { nTrials: 8 },
    );
    const trials = await study.trials();
    assert.ok(trials.every((t) => t.state === "COMPLETE" && t.values!.length === 2 && t.values![1] === t.userAttrs.n_clusters));
    const front = await study.bestTrials();
    assert.ok(front.length >= 1);
    // no trial on the front is beaten on both objectives by another
    for (const f of front) {
      assert.ok(!trials.some((t) => t.values![0] > f.values![0] && t.values![1] < f.values![1]));
    }
    const ks = new Set(front.map((f) => f.params.k));
    if (trials.some((t) => t.params.k === 3)) assert.ok(ks.has(3), "k = 3 (best silhouette) is on the front");
  });
});

describe("evaluateClustering refuses bad input with a ValueError naming it", () => {
  it("options, models, scorers, yTrue", async () => {
    const X = blobs.X;
    await rejectsValue(evaluateClustering(kmeans(3), X, { scorring: "silhouette" } as never), '"scorring"', '"scoring"');
    await rejectsValue(evaluateClustering(new KMeans() as never, X), "function");
    await rejectsValue(
      evaluateClustering(() => ({ fit() {}, predict: () => [] }) as never, X),
      "must return a clusterer",
    );
    await rejectsValue(evaluateClustering(kmeans(3), X, { scoring: "silhouete" as never }), '"silhouete"', '"silhouette"');
    await rejectsValue(evaluateClustering(kmeans(3), X, { scoring: "adjustedRand" }), '"adjustedRand"', "yTrue");
    await rejectsValue(evaluateClustering(kmeans(3), X, { scoring: "adjustedRand", yTrue: [0, 1] }), "150 rows", "yTrue has 2");
    await rejectsValue(evaluateClustering(kmeans(3), X, { scoring: ["silhouette", "silhouette"] }), '"silhouette" twice');
    await rejectsValue(evaluateClustering(kmeans(3), X, { scoring: [] }), "empty");
    await rejectsValue(evaluateClustering(kmeans(3), X, { scoring: "daviesBouldin", metric: "cosine" }), "metric", "silhouette");
    await rejectsValue(evaluateClustering(kmeans(3), X, { scoring: "adjustedRand", yTrue: blobs.y, noise: "exclude" }), "noise");
    await rejectsValue(evaluateClustering(kmeans(3), X, { space: "raw" as never }), '"raw"', '"transformed"');
    await rejectsValue(evaluateClustering(kmeans(3), X, { stability: { resamples: 1 } }), "resamples", ">= 2");
    await rejectsValue(evaluateClustering(kmeans(3), X, { stability: { resample: 5 } as never }), '"resample"', '"resamples"');
    await rejectsValue(evaluateClustering(kmeans(3), X, { stability: "yes" as never }), "stability", '"yes"');
  });

  it("a clustering the scorers cannot score names the model's parameters; too few rows is the model's error", async () => {
    await rejectsValue(
      evaluateClustering(() => new DBSCAN({ eps: 0.01, minSamples: 3 }), blobs.X, { noise: "exclude" }),
      "DBSCAN(eps=0.01, minSamples=3",
      "0 clusters and 150 noise rows",
      "all 150 rows are noise",
    );
    await rejectsValue(
      evaluateClustering(() => new DBSCAN({ eps: 100 }), blobs.X),
      "DBSCAN(eps=100",
      "1 cluster ",
      "one cluster only",
    );
    await rejectsValue(evaluateClustering(kmeans(3), blobs.X.slice(0, 2)), "nClusters=3", "2 rows");
  });
});
