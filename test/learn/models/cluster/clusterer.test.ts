import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFittedError } from "../../../../learn/estimator.js";
import { AgglomerativeClustering, type Clusterer, DBSCAN, KMeans, MiniBatchKMeans } from "../../../../learn/models/cluster/index.js";
import { rows } from "./reference.js";

const makers: [string, () => Clusterer][] = [
  ["KMeans", () => new KMeans({ nClusters: 3, seed: 1 })],
  ["MiniBatchKMeans", () => new MiniBatchKMeans({ nClusters: 3, seed: 1 })],
  ["AgglomerativeClustering", () => new AgglomerativeClustering({ nClusters: 3 })],
  ["DBSCAN", () => new DBSCAN({ eps: 0.45 })],
];

describe("the Clusterer contract", () => {
  const X = rows("iris");
  for (const [name, make] of makers) {
    it(`${name}: kind, labels after fit only, y ignored, fitPredict = fit + labels`, () => {
      const model = make();
      assert.equal(model.kind, "clusterer");
      assert.equal(model.labels, undefined);
      model.fit(
        X,
        X.map((_, i) => (i < 50 ? "a" : "b")),
      );
      const labels = [...model.labels!];
      assert.equal(labels.length, X.length);
      assert.ok(labels.every((label) => Number.isInteger(label) && label >= -1));
      assert.deepEqual(make().fitPredict(X), labels);
      if (model instanceof KMeans || model instanceof MiniBatchKMeans) assert.deepEqual(model.predict(X), labels);
      else assert.throws(() => model.predict(X), /fitPredict/);
    });
  }

  it("predicting before fitting is a NotFittedError", () => {
    assert.throws(() => new KMeans().predict(rows("iris")), NotFittedError);
    assert.throws(() => new MiniBatchKMeans().transform(rows("iris")), NotFittedError);
  });
});
