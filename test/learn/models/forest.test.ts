import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { crossValidate } from "../../../learn/cross-validate.js";
import { loadArrays } from "../../../learn/datasets.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "../../../learn/models/decision-tree.js";
import { RandomForestClassifier, RandomForestRegressor } from "../../../learn/models/random-forest.js";

const iris = loadArrays("iris");
const diabetes = loadArrays("diabetes");

function splitFeatures(tree: { feature: Int32Array }): Set<number> {
  return new Set(Array.from(tree.feature).filter((f) => f >= 0));
}

describe("forest and tree adapters over core/forest", () => {
  it("a seed repeats a forest exactly; another seed grows another one", () => {
    const fit = (seed: number) => {
      const forest = new RandomForestClassifier({ nEstimators: 8, seed });
      forest.fit(iris.X, iris.y);
      return forest.predictProba(iris.X);
    };
    assert.deepEqual(fit(4), fit(4));
    assert.notDeepEqual(fit(4), fit(5));
    const regress = (seed: number) => {
      const forest = new RandomForestRegressor({ nEstimators: 4, seed, maxFeatures: 0.5 });
      forest.fit(diabetes.X, diabetes.y);
      return forest.predict(diabetes.X.slice(0, 50));
    };
    assert.deepEqual(regress(9), regress(9));
    assert.notDeepEqual(regress(9), regress(10));
  });

  it("maxFeatures is drawn at every split, not once per tree", () => {
    // One feature per split: a tree drawing once would split on a single feature throughout.
    const tree = new DecisionTreeClassifier({ maxFeatures: 0.1, seed: 1 });
    tree.fit(iris.X, iris.y);
    assert.equal(splitFeatures(tree.tree!).size, 4);
    // And the root's feature is uniform over the four: each is drawn first about a quarter of the time.
    const roots = [0, 0, 0, 0];
    for (let seed = 0; seed < 200; seed++) {
      const stump = new DecisionTreeClassifier({ maxFeatures: 0.1, maxDepth: 1, seed });
      stump.fit(iris.X, iris.y);
      roots[stump.tree!.feature[0]]++;
    }
    for (const count of roots) assert.ok(count > 25 && count < 80, `root features ${roots}`);
    // With every feature looked at, the root is always the best one (on iris, petal
    // length and width tie for it; diabetes has a single best).
    const best = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const stump = new DecisionTreeRegressor({ maxDepth: 1, seed });
      stump.fit(diabetes.X, diabetes.y);
      best.add(stump.tree!.feature[0]);
    }
    assert.equal(best.size, 1);
  });

  it("constant features count as looked at, but a split always tries one that varies", () => {
    // Feature 3 alone varies: with one feature per split, every split must still find it.
    const X = Array.from({ length: 40 }, (_, i) => [1, 2, 3, i % 10, 5, 6]);
    const y = X.map((row) => (row[3] < 5 ? "low" : "high"));
    for (let seed = 0; seed < 10; seed++) {
      const tree = new DecisionTreeClassifier({ maxFeatures: 0.1, seed });
      tree.fit(X, y);
      assert.deepEqual([...splitFeatures(tree.tree!)], [3]);
      assert.deepEqual(
        tree.predict([
          [1, 2, 3, 2, 5, 6],
          [1, 2, 3, 8, 5, 6],
        ]),
        ["low", "high"],
      );
    }
  });

  it("depth, leaf and split limits hold", () => {
    const tree = new DecisionTreeRegressor({ maxDepth: 3, minSamplesLeaf: 20, seed: 0 });
    tree.fit(diabetes.X, diabetes.y);
    const t = tree.tree!;
    assert.ok(t.depth() <= 3);
    for (let node = 0; node < t.nodeCount; node++) if (t.isLeaf(node)) assert.ok(t.samples[node] >= 20);
    const limited = new DecisionTreeClassifier({ maxLeafNodes: 5, seed: 0 });
    limited.fit(iris.X, iris.y);
    assert.equal(limited.tree!.leafCount(), 5);
    const pruned = new DecisionTreeClassifier({ minImpurityDecrease: 0.05, seed: 0 });
    pruned.fit(iris.X, iris.y);
    const full = new DecisionTreeClassifier({ seed: 0 });
    full.fit(iris.X, iris.y);
    assert.ok(pruned.tree!.nodeCount < full.tree!.nodeCount);
  });

  it("a fully grown tree fits its training data; entropy works too", () => {
    for (const criterion of ["gini", "entropy"] as const) {
      const tree = new DecisionTreeClassifier({ criterion, seed: 0 });
      tree.fit(iris.X, iris.y);
      const correct = tree.predict(iris.X).filter((label, i) => label === iris.y[i]).length;
      // iris has two identical rows with different species: 149 of 150 at most.
      assert.ok(correct >= 149, `${criterion}: ${correct}`);
    }
  });

  it("feature importances sum to 1 and find the informative features", () => {
    const forest = new RandomForestClassifier({ nEstimators: 20, seed: 0 });
    forest.fit(iris.X, iris.y);
    const importances = forest.featureImportances!;
    assert.ok(Math.abs(importances.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    // petal length and width carry iris.
    assert.ok(importances[2] + importances[3] > 0.7, `${importances}`);
  });

  it("maxSamples draws fewer rows per tree", () => {
    const forest = new RandomForestRegressor({ nEstimators: 3, maxSamples: 0.2, seed: 0 });
    forest.fit(diabetes.X, diabetes.y);
    for (const tree of forest.estimators!) assert.equal(tree.weight[0], Math.round(0.2 * diabetes.X.length));
  });
});

describe("forest accuracy, as scikit-learn's", () => {
  it("a regression forest's 5-fold CV R² on diabetes is in scikit-learn's range", async () => {
    // scikit-learn 1.2, RandomForestRegressor(100), cross_val_score(cv=5), random_state 0..4: R² 0.413 to 0.429.
    for (const seed of [0, 1]) {
      const { mean } = await crossValidate(() => new RandomForestRegressor({ nEstimators: 100, seed }), diabetes.X, diabetes.y, { cv: 5 });
      assert.ok(mean > 0.39 && mean < 0.45, `seed ${seed}: R² ${mean}`);
    }
  });

  it("breast_cancer: 5-fold CV accuracy >= 0.94", async () => {
    const cancer = loadArrays("breast_cancer");
    const { mean } = await crossValidate(() => new RandomForestClassifier({ nEstimators: 100, seed: 0 }), cancer.X, cancer.y, { cv: 5 });
    assert.ok(mean >= 0.94, `accuracy ${mean}`);
  });

  it("digits: 5-fold CV accuracy >= 0.93 with 100 trees", async () => {
    const digits = loadArrays("digits");
    const { mean } = await crossValidate(() => new RandomForestClassifier({ nEstimators: 100, seed: 0 }), digits.X, digits.y, { cv: 5 });
    assert.ok(mean >= 0.93, `accuracy ${mean}`);
  });
});

describe("forest option errors", () => {
  function throwsValue(fn: () => unknown, ...fragments: string[]): void {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
      for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
      return true;
    });
  }

  it("names the bad value and the fix", () => {
    throwsValue(() => new RandomForestClassifier({ minGain: 0.1 } as never), "minGain", "minImpurityDecrease");
    throwsValue(() => new DecisionTreeClassifier({ criterion: "mse" as never }), '"mse"', "gini");
    throwsValue(() => new DecisionTreeRegressor({ criterion: "gini" } as never), '"criterion"');
    throwsValue(() => new RandomForestRegressor({ maxSamples: 0.5, bootstrap: false }), "maxSamples", "bootstrap");
    throwsValue(() => new RandomForestClassifier({ minSamplesLeaf: 0 }), "minSamplesLeaf", "0");
    throwsValue(() => new DecisionTreeClassifier({ maxLeafNodes: 1 }), "maxLeafNodes", "1");
    throwsValue(() => new DecisionTreeClassifier({ minImpurityDecrease: -1 }), "minImpurityDecrease", "-1");
    const forest = new RandomForestRegressor({ maxSamples: 1000 });
    throwsValue(() => forest.fit(diabetes.X, diabetes.y), "maxSamples=1000", "442");
  });
});
