import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgglomerativeClustering } from "../../../../learn/models/cluster/index.js";
import { throwsValue } from "../../value-errors.js";
import { reference, rows, samePartition } from "./reference.js";

describe("AgglomerativeClustering agrees with scikit-learn", () => {
  for (const c of reference.agglomerative) {
    const cut = c.nClusters === null ? `distanceThreshold ${c.distanceThreshold}` : `${c.nClusters} clusters`;
    it(`${c.data}, ${c.linkage} linkage, ${c.metric}, ${cut}`, () => {
      const model = new AgglomerativeClustering({
        nClusters: c.nClusters,
        distanceThreshold: c.distanceThreshold,
        linkage: c.linkage,
        metric: c.metric,
      });
      const labels = model.fitPredict(rows(c.data));
      assert.ok(samePartition(labels, c.labels), "the same partition");
      assert.deepEqual(labels, c.labels, "numbered as scikit-learn numbers them");
      assert.deepEqual(model.children, c.children);
      model.distances!.forEach((d, i) => {
        assert.ok(Math.abs(d - c.distances[i]) <= 1e-12 * Math.max(1, c.distances[i]), `merge ${i}: ${d} vs ${c.distances[i]}`);
      });
      assert.equal(model.nClustersFound, c.nClustersFound);
    });
  }
});

describe("AgglomerativeClustering", () => {
  const X = rows("integer grid (ties)");

  it("a distance threshold alone sets nClusters to null; merges at the threshold are undone", () => {
    const model = new AgglomerativeClustering({ distanceThreshold: 1, linkage: "single" });
    assert.equal(model.nClusters, null);
    model.fit(
      X,
      X.map(() => 0),
    );
    assert.equal(model.nClustersFound, model.distances!.filter((d) => d >= 1).length + 1);
    assert.equal(new Set(model.labels).size, model.nClustersFound);
  });

  it("has no predict for new rows, and says to use fitPredict", () => {
    const model = new AgglomerativeClustering();
    model.fit(X);
    throwsValue(() => model.predict(X), "AgglomerativeClustering.predict", "fitPredict");
  });

  it("refuses contradictory or bad options, naming them", () => {
    throwsValue(
      () => new AgglomerativeClustering({ nClusters: 3, distanceThreshold: 2 }),
      "exactly one",
      "nClusters=3",
      "distanceThreshold=2",
    );
    throwsValue(() => new AgglomerativeClustering({ nClusters: null }), "exactly one", "nClusters=null");
    throwsValue(() => new AgglomerativeClustering({ linkage: "ward", metric: "manhattan" }), "Ward", '"manhattan"');
    throwsValue(() => new AgglomerativeClustering({ linkage: "centroid" as never }), "linkage", '"centroid"');
    throwsValue(() => new AgglomerativeClustering({ metric: "l1" as never, linkage: "average" }), "metric", '"l1"');
    throwsValue(() => new AgglomerativeClustering({ distanceThreshold: -1 }), "distanceThreshold", "-1");
    throwsValue(() => new AgglomerativeClustering({ nClusters: 5 }).fit(X.slice(0, 4)), "nClusters=5", "4 rows");
    throwsValue(() => new AgglomerativeClustering().fit([[1, 2]]), "at least 2");
    throwsValue(
      () =>
        new AgglomerativeClustering({ linkage: "average", metric: "cosine" }).fit([
          [1, 2],
          [0, 0],
          [2, 1],
        ]),
      "X[1]",
      "zero row",
    );
  });
});
