import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MiniBatchKMeans } from "../../../../learn/models/cluster/index.js";
import { throwsValue } from "../../value-errors.js";
import { reference, rows } from "./reference.js";

const { data, nClusters, kmeansInertia, sklearnMiniBatchInertia } = reference.miniBatch;
const X = rows(data);

describe("MiniBatchKMeans", () => {
  it("comes within 1% of scikit-learn's KMeans inertia on blobs, as scikit-learn's MiniBatchKMeans does", () => {
    assert.ok(sklearnMiniBatchInertia < 1.01 * kmeansInertia);
    for (const seed of [0, 1, 2, 3]) {
      const model = new MiniBatchKMeans({ nClusters, seed });
      model.fit(X);
      assert.ok(model.inertia! < 1.01 * kmeansInertia, `seed ${seed}: ${model.inertia} vs ${kmeansInertia}`);
      assert.ok(model.inertia! >= kmeansInertia * (1 - 1e-9), "no better than the full optimum");
    }
  });

  it("a centre that takes no rows moves to a row of a batch, unless reassignmentRatio is 0", () => {
    const far = [1000, 1000, 1000];
    const init = [...[0, 400, 800, 1200, 1600].map((i) => X[i]), far];
    const moved = new MiniBatchKMeans({ init, batchSize: 200, seed: 3 });
    moved.fit(X);
    const highest = Math.max(...X.flat());
    assert.ok(
      moved.clusterCenters![5].every((v) => v <= highest),
      "the far centre came among the rows",
    );
    assert.equal(new Set(moved.labels).size, 6);
    const stuck = new MiniBatchKMeans({ init, batchSize: 200, seed: 3, reassignmentRatio: 0 });
    stuck.fit(X);
    assert.deepEqual(stuck.clusterCenters![5], far);
    assert.ok(!stuck.labels!.includes(5));
  });

  it("with small batches, still within a few per cent", () => {
    for (const seed of [0, 1, 2]) {
      const model = new MiniBatchKMeans({ nClusters, batchSize: 100, seed });
      model.fit(X);
      assert.ok(model.inertia! < 1.03 * kmeansInertia, `seed ${seed}: ${model.inertia}`);
    }
  });

  it("a seed repeats the fit, another seed gives another run", () => {
    const fit = (seed: number) => {
      const model = new MiniBatchKMeans({ nClusters, batchSize: 256, seed });
      model.fit(X);
      return model;
    };
    const a = fit(5);
    const b = fit(5);
    assert.deepEqual(a.clusterCenters, b.clusterCenters);
    assert.deepEqual(a.labels, b.labels);
    assert.equal(a.nSteps, b.nSteps);
    assert.notDeepEqual(fit(6).clusterCenters, a.clusterCenters);
  });

  it("counts steps and passes; labels are the nearest centres of the training rows", () => {
    const model = new MiniBatchKMeans({ nClusters, batchSize: 300, maxIter: 3, maxNoImprovement: null, seed: 1 });
    model.fit(X);
    assert.equal(model.nSteps, Math.floor((3 * X.length) / 300));
    assert.equal(model.nIter, 3);
    assert.deepEqual(model.predict(X), model.labels);
    const inertia = X.reduce((sum, row, i) => {
      const center = model.clusterCenters![model.labels![i]];
      return sum + row.reduce((s, v, f) => s + (v - center[f]) ** 2, 0);
    }, 0);
    assert.ok(Math.abs(inertia - model.inertia!) < 1e-9 * inertia);
  });

  it("refuses bad options with a message that names them", () => {
    throwsValue(() => new MiniBatchKMeans({ batchSize: 0 }), "batchSize", "0");
    throwsValue(() => new MiniBatchKMeans({ nClusters: 10, initSize: 5 }), "initSize=5", "nClusters=10");
    throwsValue(() => new MiniBatchKMeans({ reassignmentRatio: -0.1 }), "reassignmentRatio", "-0.1");
    throwsValue(() => new MiniBatchKMeans({ init: [[0], [1]], nInit: 3 }), "nInit=3");
    throwsValue(() => new MiniBatchKMeans({ batch: 10 } as never), "batch", "batchSize");
    throwsValue(() => new MiniBatchKMeans({ nClusters: 4 }).fit(X.slice(0, 3)), "nClusters=4", "3 rows");
  });
});
