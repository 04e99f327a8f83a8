import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DBSCAN } from "../../../../learn/models/cluster/index.js";
import { throwsValue } from "../../value-errors.js";
import { reference, rows } from "./reference.js";

describe("DBSCAN agrees with scikit-learn", () => {
  for (const c of reference.dbscan) {
    it(`${c.data}, eps ${c.eps}, minSamples ${c.minSamples}, ${c.metric}`, () => {
      const model = new DBSCAN({ eps: c.eps, minSamples: c.minSamples, metric: c.metric });
      assert.deepEqual(model.fitPredict(rows(c.data)), c.labels);
      assert.deepEqual(model.coreSampleIndices, c.coreSampleIndices);
    });
  }
});

describe("DBSCAN", () => {
  it("numbers clusters by their first core row and gives a border row to the first cluster that reaches it", () => {
    // Core rows 0-1 (cluster 0) and 3-4 (cluster 1); row 2 is a border of both, row 5 is noise.
    const X = [[0], [1], [2], [3], [4], [10]];
    const model = new DBSCAN({ eps: 1, minSamples: 2 });
    assert.deepEqual(model.fitPredict(X), [0, 0, 0, 0, 0, -1]);
    const split = new DBSCAN({ eps: 1, minSamples: 3 });
    // Only rows 1, 2 and 3 have three neighbours (themselves included).
    assert.deepEqual(split.fitPredict(X), [0, 0, 0, 0, 0, -1]);
    assert.deepEqual(split.coreSampleIndices, [1, 2, 3]);
    const apart = new DBSCAN({ eps: 1, minSamples: 2 });
    assert.deepEqual(apart.fitPredict([[5], [6], [0], [1], [20]]), [0, 0, 1, 1, -1]);
  });

  it("ignores y, and has no predict for new rows", () => {
    const X = rows("moons");
    const model = new DBSCAN({ eps: 0.15 });
    model.fit(
      X,
      X.map((_, i) => i % 2),
    );
    assert.deepEqual(model.labels, new DBSCAN({ eps: 0.15 }).fitPredict(X));
    throwsValue(() => model.predict(X), "DBSCAN.predict", "fitPredict");
  });

  it("refuses bad options, naming them", () => {
    throwsValue(() => new DBSCAN({ eps: 0 }), "eps", "> 0", "got 0");
    throwsValue(() => new DBSCAN({ eps: -0.5 }), "eps", "-0.5");
    throwsValue(() => new DBSCAN({ minSamples: 0 }), "minSamples", "0");
    throwsValue(() => new DBSCAN({ metric: "cityblock" as never }), "metric", '"cityblock"');
    throwsValue(() => new DBSCAN({ epsilon: 1 } as never), "epsilon", "eps");
  });
});
