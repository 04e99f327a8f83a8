import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { type DatasetName, loadArrays } from "../../learn/datasets.js";
import type { Estimator, Features } from "../../learn/estimator.js";
import type { Label } from "../../learn/labels.js";
import { GaussianNB } from "../../learn/models/gaussian-nb.js";
import { KNNClassifier } from "../../learn/models/knn.js";
import { makePipeline } from "../../learn/pipeline.js";
import { StandardScaler } from "../../learn/preprocessing.js";
import { GroupKFold, KFold, type Splitter, StratifiedKFold } from "../../learn/splitters/index.js";
import { nestedCrossValidate } from "../../select/nested-cv.js";
import type { NestedSearch } from "../../select/nested-search.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import { openStorage } from "../../tracker/storage/open.js";
import { FixedTrial } from "../../tune/fixed-trial.js";
import { setVerbosity } from "../../tune/log.js";
import { NESTED_ATTR, nestedFoldRecord, nestedRunsOf } from "../../tune/nested-record.js";
import { GridSampler } from "../../tune/samplers/grid.js";

setVerbosity("silent");

interface FoldsCase {
  dataset: DatasetName;
  outer: string;
  inner: string;
  groups: number[] | null;
  folds: { train: number[]; test: number[]; inner: { train: number[]; test: number[] }[] }[];
}

interface GridCase {
  dataset: DatasetName;
  model: "knn" | "scaledKnn";
  values: number[];
  outer: string;
  inner: string;
  chosen: number[];
  innerBest: number[];
  innerMeans: number[][];
  outerScores: number[];
}

// scikit-learn 1.2's nested folds and GridSearchCV runs, made by fixtures/make_sklearn_nested.py.
const reference = JSON.parse(readFileSync(new URL("./fixtures/sklearn-nested.json", import.meta.url), "utf8")) as {
  folds: FoldsCase[];
  grids: GridCase[];
};

/** A splitter as the fixture names it: "5" (a number of folds), "KFold(4)", "StratifiedKFold(3)", "GroupKFold(4)". */
function splitter(spec: string): Splitter | number {
  if (/^\d+$/.test(spec)) return Number(spec);
  const [, kind, k] = /^(\w+)\((\d+)\)$/.exec(spec)!;
  const nSplits = Number(k);
  return kind === "KFold"
    ? new KFold({ nSplits })
    : kind === "StratifiedKFold"
      ? new StratifiedKFold({ nSplits })
      : new GroupKFold({ nSplits });
}

/**
 * A model that writes down the rows it is fitted on and asked about: each row of X
 * carries its position in the dataset in column 0. It predicts the first training label.
 */
class RowRecorder implements Estimator {
  private first: Label = 0;
  constructor(
    readonly kind: "classifier" | "regressor",
    private readonly log: { fit: number[][]; predict: number[][] },
  ) {}
  fit(X: Features, y: readonly Label[]): void {
    this.log.fit.push(X.map((row) => row[0]));
    this.first = y[0];
  }
  predict(X: Features): Label[] {
    this.log.predict.push(X.map((row) => row[0]));
    return X.map(() => this.first);
  }
}

function close(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${label}: ${actual} vs scikit-learn's ${expected}`);
}

describe("nestedCrossValidate splits as scikit-learn nests GridSearchCV in cross_validate", () => {
  for (const c of reference.folds) {
    it(`${c.dataset}: outer ${c.outer}, inner ${c.inner}${c.groups ? ", grouped" : ""}: the same outer and inner folds`, async () => {
      const data = loadArrays(c.dataset);
      const X = data.X.map((row, i) => [i, ...row]);
      const log = { fit: [] as number[][], predict: [] as number[][] };
      const kind = data.task === "classification" ? "classifier" : "regressor";
      const result = await nestedCrossValidate(
        {
          space: (trial) => {
            trial.suggestCategorical("c", [0]);
            return () => new RowRecorder(kind, log);
          },
        },
        X,
        data.y,
        { outer: splitter(c.outer), inner: splitter(c.inner), nTrials: 1, ...(c.groups ? { groups: c.groups } : {}) },
      );
      assert.deepEqual(
        result.outerTestRows,
        c.folds.map((f) => f.test),
      );
      // Per outer fold: one trial (fit and predict on each inner fold), then the refit.
      let call = 0;
      for (const fold of c.folds) {
        for (const innerFold of fold.inner) {
          assert.deepEqual(log.fit[call], innerFold.train, `inner training rows, call ${call}`);
          assert.deepEqual(log.predict[call], innerFold.test, `inner test rows, call ${call}`);
          call++;
        }
        assert.deepEqual(log.fit[call], fold.train, "refit on the outer training rows");
        assert.deepEqual(log.predict[call], fold.test, "scored on the outer test rows");
        call++;
      }
      assert.equal(log.fit.length, call);
    });
  }
});

const MODELS = {
  knn: (k: number) => new KNNClassifier({ k }),
  scaledKnn: (k: number) => makePipeline(new StandardScaler(), new KNNClassifier({ k })),
};

describe("a grid search nested in cross-validation equals scikit-learn's", () => {
  for (const c of reference.grids) {
    it(`${c.model} on ${c.dataset}, k in ${c.values.join(", ")}, outer ${c.outer}, inner ${c.inner}`, async () => {
      const { X, y } = loadArrays(c.dataset);
      const search: NestedSearch = {
        space: (trial) => {
          const k = trial.suggestCategorical("k", c.values);
          return () => MODELS[c.model](k) as Estimator;
        },
      };
      const result = await nestedCrossValidate(search, X, y, {
        outer: splitter(c.outer),
        inner: splitter(c.inner),
        nTrials: 100,
        sampler: () => new GridSampler({ k: c.values }),
      });
      // Each inner study scored every grid point as GridSearchCV did, in grid order.
      for (const [i, study] of result.studies.entries()) {
        const trials = await study.trials();
        assert.deepEqual(
          trials.map((t) => t.params.k),
          c.values,
        );
        for (const [j, t] of trials.entries()) close(t.value!, c.innerMeans[i][j], `outer fold ${i + 1}, k=${c.values[j]}`);
      }
      assert.deepEqual(
        result.chosen.map((choice) => choice.params.k),
        c.chosen,
      );
      for (const [i, choice] of result.chosen.entries()) close(choice.innerBest, c.innerBest[i], `best inner score, outer fold ${i + 1}`);
      for (const [i, score] of result.outerScores.entries()) close(score, c.outerScores[i], `outer score ${i + 1}`);
      assert.equal(result.outerScores.length, c.outerScores.length);
    });
  }

  it("ties among the best grid points go to the first in grid order, as GridSearchCV's", () => {
    // The fixture has such ties, so the cases above check the rule.
    const tied = reference.grids.flatMap((c) => c.innerMeans.filter((means) => means.filter((m) => m === Math.max(...means)).length > 1));
    assert.ok(tied.length >= 3, `${tied.length} outer folds with tied best points`);
  });
});

const iris = loadArrays("iris");
const irisKnn: NestedSearch = {
  space: (trial) => {
    const k = trial.suggestInt("k", 1, 40);
    const weights = trial.suggestCategorical("scaled", [true, false]);
    return () => (weights ? (makePipeline(new StandardScaler(), new KNNClassifier({ k })) as Estimator) : new KNNClassifier({ k }));
  },
};

describe("nestedCrossValidate runs", () => {
  it("repeat with a seed, and differ with another", async () => {
    const run = async (seed: number) => {
      const r = await nestedCrossValidate(irisKnn, iris.X, iris.y, { outer: 3, inner: 3, nTrials: 4, sampler: "random", seed });
      const params = await Promise.all(r.studies.map(async (s) => (await s.trials()).map((t) => t.params)));
      return { params, outerScores: r.outerScores, chosen: r.chosen.map((c) => c.params) };
    };
    const a = await run(7);
    assert.deepEqual(await run(7), a);
    assert.notDeepEqual((await run(8)).params, a.params);
  });

  it("score the refit of the chosen parameters, with the mean, std and stability of the outer scores", async () => {
    const result = await nestedCrossValidate(irisKnn, iris.X, iris.y, { outer: 4, inner: 3, nTrials: 3, sampler: "random", seed: 3 });
    assert.equal(result.cv.outer, "StratifiedKFold(nSplits=4)");
    assert.equal(result.cv.inner, "StratifiedKFold(nSplits=3)");
    assert.deepEqual(result.scoring, { name: "accuracy", greaterIsBetter: true });
    for (const [i, choice] of result.chosen.entries()) {
      const best = await result.studies[i].best();
      assert.deepEqual(choice.params, best.params);
      assert.equal(choice.innerBest, best.value);
      assert.equal(choice.nTrain + choice.nTest, 150);
      // The outer score is the chosen model fitted on the outer training rows, scored on the test rows.
      const train = new Set(result.outerTestRows[i]);
      const rows = iris.X.map((_, r) => r).filter((r) => !train.has(r));
      const model = irisKnn.space(new FixedTrial(best.params))();
      model.fit(
        rows.map((r) => iris.X[r]),
        rows.map((r) => iris.y[r]),
      );
      const predicted = model.predict(result.outerTestRows[i].map((r) => iris.X[r]));
      const accuracy = predicted.filter((label, j) => label === iris.y[result.outerTestRows[i][j]]).length / predicted.length;
      assert.equal(choice.outerScore, accuracy);
    }
    const mean = result.outerScores.reduce((a, b) => a + b, 0) / 4;
    assert.equal(result.mean, mean);
    assert.ok(Math.abs(result.std - Math.sqrt(result.outerScores.reduce((a, s) => a + (s - mean) ** 2, 0) / 4)) < 1e-15);
    const ks = result.chosen.map((c) => c.params.k);
    const modeCount = Math.max(...ks.map((k) => ks.filter((v) => v === k).length));
    assert.equal(result.stability.params.k.kind, "int");
    assert.equal((result.stability.params.k as { agreement: number }).agreement, modeCount / 4);
    assert.equal(result.stability.params.scaled.kind, "categorical");
  });

  it("minimize an error scorer, and report fold scores for pruning", async () => {
    const diabetes = loadArrays("diabetes");
    const { KNNRegressor } = await import("../../learn/models/knn.js");
    const result = await nestedCrossValidate(
      {
        space: (trial) =>
          (
            (k) => () =>
              new KNNRegressor({ k })
          )(trial.suggestInt("k", 1, 50, { log: true })),
      },
      diabetes.X,
      diabetes.y,
      { outer: 3, inner: 2, nTrials: 3, scoring: "rmse", sampler: "random", seed: 1 },
    );
    assert.equal(result.cv.outer, "KFold(nSplits=3)");
    assert.deepEqual(result.scoring, { name: "rmse", greaterIsBetter: false });
    for (const [i, study] of result.studies.entries()) {
      assert.equal(study.direction, "minimize");
      const trials = await study.trials();
      assert.equal(result.chosen[i].innerBest, Math.min(...trials.map((t) => t.value!)));
      for (const t of trials) {
        assert.deepEqual(t.userAttrs.fold_scores, Object.values(t.intermediateValues));
        assert.equal(Object.keys(t.intermediateValues).length, 2);
      }
    }
  });
});

describe("nestedCrossValidate logs its inner studies", () => {
  const dir = mkdtempSync(join(tmpdir(), "tunebook-nested-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("to SQLite, as one experiment, from which the outer scores are rebuilt", async () => {
    const url = `sqlite:${join(dir, "nested.db")}`;
    const storage = openStorage(url);
    const result = await nestedCrossValidate(irisKnn, iris.X, iris.y, {
      outer: 3,
      inner: 2,
      nTrials: 3,
      storage,
      experiment: "iris-models",
      name: "knn",
      sampler: "random",
      seed: 5,
    });
    await storage.close();

    const reopened = openStorage(url, { readOnly: true });
    const summaries = await reopened.listStudies();
    assert.deepEqual(summaries.map((s) => s.name).sort(), ["knn/outer-1", "knn/outer-2", "knn/outer-3"]);
    assert.ok(summaries.every((s) => s.experiment === "iris-models" && s.counts.COMPLETE === 3));
    const [run] = nestedRunsOf(summaries);
    assert.equal(run.run, "knn");
    assert.equal(run.experiment, "iris-models");
    assert.equal(run.complete, true);
    assert.deepEqual(run.outerScores, result.outerScores);
    assert.equal(run.mean, result.mean);
    assert.deepEqual(
      run.folds.map((f) => f.params),
      result.chosen.map((c) => c.params),
    );
    assert.deepEqual(
      run.folds.map((f) => [f.study, f.innerBest, f.nTest, f.scoring, f.outer, f.inner]),
      result.chosen.map((c) => [c.study, c.innerBest, c.nTest, "accuracy", "StratifiedKFold(nSplits=3)", "StratifiedKFold(nSplits=2)"]),
    );
    const trials = await reopened.getAllTrials(summaries[0].studyId);
    assert.ok(trials.every((t) => Array.isArray(t.userAttrs.fold_scores) && (t.userAttrs.fold_scores as number[]).length === 2));
    await reopened.close();
  });

  it("a run stopped half-way reads back as incomplete", async () => {
    const storage = new InMemoryStorage();
    let refits = 0;
    const failing: NestedSearch = {
      space: (trial) => {
        if (trial instanceof FixedTrial && ++refits === 3) throw new Error("disk full");
        return irisKnn.space(trial);
      },
    };
    await assert.rejects(nestedCrossValidate(failing, iris.X, iris.y, { outer: 4, nTrials: 2, storage, name: "cut" }), /disk full/);
    const [run] = nestedRunsOf(await storage.listStudies());
    assert.equal(run.complete, false);
    assert.equal(run.nOuter, 4);
    assert.deepEqual(
      run.folds.map((f) => f.outerFold),
      [0, 1],
    );
  });

  it("a record that cannot be read is skipped", () => {
    assert.equal(nestedFoldRecord({ [NESTED_ATTR]: { run: "x", outerFold: 3, nOuter: 2 } }), null);
    assert.equal(nestedFoldRecord({}), null);
    assert.deepEqual(nestedRunsOf([{ name: "s", experiment: null, systemAttrs: { [NESTED_ATTR]: "broken" } }]), []);
  });
});

describe("nestedCrossValidate refuses bad input before it runs", () => {
  const knn: NestedSearch = {
    space: (trial) =>
      (
        (k) => () =>
          new KNNClassifier({ k })
      )(trial.suggestInt("k", 1, 9)),
  };
  const rejects = async (options: object, ...parts: (string | RegExp)[]) => {
    const storage = new InMemoryStorage();
    const error = await nestedCrossValidate(knn, iris.X, iris.y, { storage, ...options } as never).then(
      () => assert.fail("no error"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ValueError, String(error));
    for (const part of parts) assert.match(error.message, typeof part === "string" ? new RegExp(literal(part)) : part);
    assert.deepEqual(await storage.listStudies(), [], "no study was created");
  };
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  it("nTrials that is not a positive integer", async () => {
    await rejects({ nTrials: 0 }, "nTrials", "got 0");
    await rejects({}, "nTrials", "got undefined");
  });

  it("unknown options, naming the closest", async () => {
    await rejects({ nTrials: 2, ntrials: 2 }, 'unknown option "ntrials"', 'Did you mean "nTrials"');
    await rejects({ nTrials: 2, outerFolds: 5 }, '"outerFolds"');
  });

  it("an inner splitter that cannot split an outer training fold", async () => {
    await rejects(
      { nTrials: 2, inner: new StratifiedKFold({ nSplits: 45 }) },
      "outer fold 1",
      "120 training rows",
      "nSplits=45",
      "fewer inner folds",
    );
    await rejects({ nTrials: 2, outer: 3, inner: 101 }, "outer fold 1", "100 training rows");
  });

  it("bad folds, scorers, samplers and seeds", async () => {
    await rejects({ nTrials: 2, outer: 1 }, "outer", "number of folds >= 2");
    await rejects({ nTrials: 2, outer: 200 }, "outer folds", "nSplits=200");
    await rejects({ nTrials: 2, scoring: "acuracy" }, 'unknown scoring "acuracy"', 'Did you mean "accuracy"');
    await rejects({ nTrials: 2, sampler: "grid" }, "GridSampler");
    await rejects({ nTrials: 2, seed: -1 }, "seed");
    await rejects({ nTrials: 2, groups: "abc" }, "groups");
    await rejects({ nTrials: 2, outer: new GroupKFold({ nSplits: 3 }) }, "groups");
  });

  it("a search that is not { space } or does not return a factory", async () => {
    const run = (search: unknown) => nestedCrossValidate(search as NestedSearch, iris.X, iris.y, { nTrials: 1 });
    await assert.rejects(run(knn.space), /search must be an object \{ space \}/);
    await assert.rejects(run({ space: knn.space, grid: [] }), /unknown key "grid"/);
    await assert.rejects(run({ space: () => new GaussianNB() }), /returned an estimator; return a factory/);
    await assert.rejects(
      run({ space: (t: FixedTrial) => () => new KNNClassifier({ k: t.suggestInt("k", 5, 1) }) }),
      /low \(5\).*high \(1\)/,
    );
  });

  it("a run name whose studies exist", async () => {
    const storage = new InMemoryStorage();
    await nestedCrossValidate(knn, iris.X, iris.y, { nTrials: 1, outer: 2, storage, name: "twice" });
    await assert.rejects(
      nestedCrossValidate(knn, iris.X, iris.y, { nTrials: 1, outer: 2, storage, name: "twice" }),
      /already has a study "twice\/outer-1"; give the run another name/,
    );
  });
});
