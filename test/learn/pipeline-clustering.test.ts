/** Clusterers through the estimator API: a pipeline ending in one is a clusterer, and crossValidate scores clusterers. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonValue } from "../../core/records.js";
import { crossValidate } from "../../learn/cross-validate.js";
import { type Estimator, isClusterer } from "../../learn/estimator.js";
import { clusteringScorer, silhouette } from "../../learn/metrics/index.js";
import { AgglomerativeClustering } from "../../learn/models/cluster/agglomerative.js";
import { DBSCAN } from "../../learn/models/cluster/dbscan.js";
import { KMeans } from "../../learn/models/cluster/kmeans.js";
import { GaussianNB } from "../../learn/models/gaussian-nb.js";
import { makePipeline, Pipeline } from "../../learn/pipeline.js";
import { type RawFeatures, SimpleImputer, StandardScaler } from "../../learn/preprocessing.js";
import { KFold } from "../../learn/splitters/index.js";
import { samePartition } from "./models/cluster/reference.js";
import { rejectsValue, throwsValue } from "./value-errors.js";
import { extraVectors } from "./vectors.js";

interface Fixture {
  blobs: {
    X: number[][];
    y: number[];
    scaledKmeans3: { labels: number[]; silhouetteTransformed: number };
    crossValidate: { silhouette: number[]; adjustedRand: number[]; scaledSilhouette: number[] };
  };
}

const { blobs } = extraVectors<Fixture>("sklearn-evaluate-clustering.json");

function closeAll(got: readonly number[], want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => {
    assert.ok(Math.abs(g - want[i]) <= 1e-9, `${what} fold ${i}: ${g} vs scikit-learn's ${want[i]}`);
  });
}

/** A scaler that remembers how many rows it was fitted on. */
class CountingScaler extends StandardScaler {
  fitted: number[] = [];
  override fit(X: RawFeatures): void {
    this.fitted.push(X.length);
    super.fit(X);
  }
}

describe("a pipeline ending in a clusterer", () => {
  it("is a clusterer: kind, fitPredict through the fitted steps, labels, y optional", () => {
    const scaler = new CountingScaler();
    const pipe = makePipeline(scaler, new KMeans({ nClusters: 3, seed: 0 }));
    assert.equal(pipe.kind, "clusterer");
    assert.ok(isClusterer(pipe));
    const before = pipe.labels;
    assert.equal(before, undefined, "no labels before fit");
    const labels = pipe.fitPredict(blobs.X);
    assert.ok(samePartition(labels, blobs.scaledKmeans3.labels));
    assert.deepEqual(pipe.labels, labels);
    assert.deepEqual(scaler.fitted, [150]);
    assert.ok(Math.abs(silhouette(pipe.transform(blobs.X), labels) - blobs.scaledKmeans3.silhouetteTransformed) < 1e-9);
    assert.deepEqual(pipe.predict(blobs.X), labels);
    pipe.fit(blobs.X.slice(0, 60));
    assert.deepEqual(scaler.fitted, [150, 60]);
    assert.equal(pipe.labels!.length, 60);
  });

  it("missing cells are imputed by a step before the clusterer; nested pipelines and new Pipeline(...) are clusterers too", () => {
    const holes = blobs.X.map((row, i) => (i % 10 === 0 ? [null, row[1]] : row));
    const pipe = makePipeline(new SimpleImputer(), makePipeline(new StandardScaler(), new KMeans({ nClusters: 3, seed: 0 })));
    assert.equal(pipe.fitPredict(holes).length, 150);
    assert.ok(isClusterer(new Pipeline([new StandardScaler()], new DBSCAN())));
  });

  it("a supervised pipeline is no clusterer and still needs y", () => {
    const pipe = makePipeline(new StandardScaler(), new GaussianNB());
    assert.equal(pipe.kind, "classifier");
    assert.equal(isClusterer(pipe), false);
    assert.equal(pipe.fitPredict, undefined);
    assert.equal(pipe.labels, undefined);
    throwsValue(() => pipe.fit(blobs.X), "Pipeline.fit", "y is missing");
  });
});

describe("crossValidate with a clusterer", () => {
  const cv = new KFold({ nSplits: 5 });
  const kmeans = () => new KMeans({ nClusters: 3, seed: 0 });

  it("needs no y: each test fold's silhouette, labelled by predict, fold for fold as scikit-learn", async () => {
    for (const y of [undefined, null]) {
      const result = await crossValidate(kmeans, blobs.X, y);
      closeAll(result.testScores, blobs.crossValidate.silhouette, "silhouette");
      assert.deepEqual(result.scoring, { name: "silhouette", greaterIsBetter: true });
      assert.equal(result.cv, cv.description, "KFold, not stratified");
    }
  });

  it("compares with y for the truth scorers, and scores a pipeline's test fold after its transform", async () => {
    const ari = await crossValidate(kmeans, blobs.X, blobs.y, { scoring: "adjustedRand", cv: 5 });
    closeAll(ari.testScores, blobs.crossValidate.adjustedRand, "adjustedRand");
    const scaled = () => makePipeline(new StandardScaler(), new KMeans({ nClusters: 3, seed: 0 }));
    const pipe = await crossValidate(scaled, blobs.X, null, { cv });
    closeAll(pipe.testScores, blobs.crossValidate.scaledSilhouette, "silhouette after scaling");
    const db = await crossValidate(kmeans, blobs.X, null, { scoring: clusteringScorer("daviesBouldin"), returnTrainScore: true });
    assert.equal(db.scoring.greaterIsBetter, false);
    assert.equal(db.trainScores!.length, 5);
  });

  it("reports each fold to a trial", async () => {
    const attrs: Record<string, JsonValue> = {};
    const reports: number[] = [];
    const trial = {
      report: (value: number) => reports.push(value),
      shouldPrune: () => false,
      setUserAttr: (key: string, value: JsonValue) => {
        attrs[key] = value;
      },
    };
    const result = await crossValidate(kmeans, blobs.X, undefined, { trial });
    assert.deepEqual(reports, result.testScores);
    assert.deepEqual(attrs.fold_scores, result.testScores);
  });

  it("clusterers that cannot label new rows are sent to evaluateClustering; truth scorers need y", async () => {
    await rejectsValue(
      crossValidate(() => new DBSCAN(), blobs.X),
      "DBSCAN(",
      "cannot label a test fold",
      "evaluateClustering",
    );
    await rejectsValue(
      crossValidate(() => makePipeline(new StandardScaler(), new AgglomerativeClustering({ nClusters: 3 })), blobs.X),
      "AgglomerativeClustering(",
      "evaluateClustering",
    );
    await rejectsValue(crossValidate(kmeans, blobs.X, null, { scoring: "adjustedRand" }), '"adjustedRand"', "pass them as y");
    await rejectsValue(crossValidate(kmeans, blobs.X, null, { scoring: "accuracy" as never }), '"accuracy"', "clustering");
  });

  it("supervised estimators still need y and their own scorers", async () => {
    const nb = (): Estimator => new GaussianNB();
    await rejectsValue(crossValidate(nb, blobs.X), "y is missing", "GaussianNB");
    await rejectsValue(crossValidate(nb, blobs.X, blobs.y, { scoring: "silhouette" as never }), '"silhouette"', "no clusterer");
    const result = await crossValidate(nb, blobs.X, blobs.y, { cv: 3 });
    assert.equal(result.scoring.name, "accuracy");
  });
});
