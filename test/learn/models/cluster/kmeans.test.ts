import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../../../../core/rng.js";
import { NotFittedError } from "../../../../learn/estimator.js";
import { KMeans } from "../../../../learn/models/cluster/index.js";
import { kmeansPlusPlus, scaledTolerance } from "../../../../learn/models/cluster/kmeans-core.js";
import { throwsValue } from "../../value-errors.js";
import { maxAbsDiff, reference, rows } from "./reference.js";

describe("KMeans agrees with scikit-learn", () => {
  for (const c of reference.kmeans) {
    it(`from the same init array: ${c.name}`, () => {
      const model = new KMeans({ init: c.init, maxIter: c.options.maxIter, tol: c.options.tol });
      model.fit(rows(c.data));
      assert.ok(maxAbsDiff(model.clusterCenters!, c.centers) < 1e-9, "centres");
      assert.deepEqual(model.labels, c.labels);
      assert.ok(Math.abs(model.inertia! - c.inertia) < 1e-9 * c.inertia, `inertia ${model.inertia} vs ${c.inertia}`);
      assert.equal(model.nIter, c.nIter);
      assert.deepEqual(model.predict(c.probe), c.predict);
      assert.ok(maxAbsDiff(model.transform(c.probe), c.transform) < 1e-9, "transform");
    });
  }

  for (const c of reference.kmeansPlusPlus) {
    it(`k-means++ with 10 runs reaches scikit-learn's inertia on ${c.data} (k=${c.nClusters})`, () => {
      for (const seed of [0, 1]) {
        const model = new KMeans({ nClusters: c.nClusters, seed });
        model.fit(rows(c.data));
        assert.ok(Math.abs(model.inertia! - c.inertia) < 1e-9 * c.inertia, `seed ${seed}: ${model.inertia} vs ${c.inertia}`);
      }
    });
  }
});

describe("KMeans", () => {
  const iris = rows("iris");

  it("the tolerance is tol times the mean of the feature variances", () => {
    // variances 1 and 4
    assert.equal(
      scaledTolerance(
        [
          [0, 0],
          [2, 4],
        ],
        1e-4,
      ),
      2.5e-4,
    );
    assert.equal(scaledTolerance(iris, 0), 0);
  });

  it("greedy k-means++ seeds one centre in each of four far-apart groups", () => {
    const groups = [0, 50].flatMap((x) => [0, 50].map((y) => [x, y]));
    const rng = new Rng(4);
    const X = groups.flatMap(([x, y]) => Array.from({ length: 25 }, () => [x + rng.normal(), y + rng.normal()]));
    for (let seed = 0; seed < 20; seed++) {
      const centers = kmeansPlusPlus(X, 4, new Rng(seed));
      for (const center of centers)
        assert.ok(
          X.some((row) => row[0] === center[0] && row[1] === center[1]),
          "a centre is a row",
        );
      const owners = centers.map(([x, y]) => (x > 25 ? 2 : 0) + (y > 25 ? 1 : 0));
      assert.deepEqual([...owners].sort(), [0, 1, 2, 3], `seed ${seed}`);
    }
  });

  it("more runs never end worse than the first, which is the one-run fit", () => {
    for (const init of ["k-means++", "random"] as const) {
      for (const seed of [1, 2, 3]) {
        const one = new KMeans({ nClusters: 6, init, nInit: 1, seed });
        const ten = new KMeans({ nClusters: 6, init, nInit: 10, seed });
        one.fit(iris);
        ten.fit(iris);
        assert.ok(ten.inertia! <= one.inertia!, `${init} seed ${seed}`);
      }
    }
  });

  it("a seed repeats the fit; fitPredict gives the labels, which predict gives back", () => {
    const a = new KMeans({ nClusters: 4, seed: 9 });
    const b = new KMeans({ nClusters: 4, seed: 9 });
    const labels = a.fitPredict(
      iris,
      iris.map(() => "ignored"),
    );
    b.fit(iris);
    assert.deepEqual(a.clusterCenters, b.clusterCenters);
    assert.deepEqual(labels, a.labels);
    assert.deepEqual(a.predict(iris), labels);
    assert.equal(a.kind, "clusterer");
  });

  it("nClusters defaults to 8, or to the rows of an init array", () => {
    assert.equal(new KMeans().nClusters, 8);
    assert.equal(new KMeans({ init: [[0], [1], [2]] }).nClusters, 3);
  });

  it("refuses bad options and inputs with a message that names them", () => {
    throwsValue(() => new KMeans({ nClusters: 0 }), "nClusters", "0");
    throwsValue(() => new KMeans({ nInit: 2.5 }), "nInit", "2.5");
    throwsValue(() => new KMeans({ tol: -1 }), "tol", "-1");
    throwsValue(() => new KMeans({ init: "kmeans" as never }), "init", '"kmeans"');
    throwsValue(() => new KMeans({ nCluster: 3 } as never), 'Did you mean "nClusters"');
    throwsValue(() => new KMeans({ init: [[1, 2], [3]] }), "init[1]");
    throwsValue(() => new KMeans({ nClusters: 2, init: [[0], [1], [2]] }), "nClusters=2", "3 centres");
    throwsValue(() => new KMeans({ init: [[0], [1]], nInit: 5 }), "nInit=5");
    throwsValue(() => new KMeans({ nClusters: 8 }).fit(iris.slice(0, 5)), "nClusters=8", "5 rows");
    throwsValue(() => new KMeans({ init: [[0], [1]] }).fit(iris), "1 features", "X has 4");
    assert.throws(() => new KMeans().predict(iris), NotFittedError);
    const model = new KMeans({ nClusters: 2, seed: 0 });
    model.fit(iris);
    throwsValue(() => model.predict([[1, 2]]), "2 features", "fitted on 4");
  });
});
