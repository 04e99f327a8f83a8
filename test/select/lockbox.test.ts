import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { inspect, isDeepStrictEqual } from "node:util";
import type { DataFrame, Series } from "danfojs-node";
import { show, ValueError } from "../../core/errors.js";
import { type DatasetName, loadArrays, loadDataset } from "../../learn/datasets.js";
import type { Label } from "../../learn/labels.js";
import { lockbox } from "../../select/lockbox.js";
import { createStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";
import type { Study } from "../../tune/study.js";
import { TestSetLockedError } from "../../tune/test-set.js";
import { LOCKBOX_ATTR, lockboxRecord } from "../../tune/test-set-record.js";

setVerbosity("silent");

interface Reference {
  ordered: { dataset: DatasetName; testSize: number; train: number[]; test: number[]; yTest: Label[] }[];
  stratified: { dataset: DatasetName; testSize: number; nTest: number; classCounts: Record<string, number>[] }[];
  shuffled: { dataset: DatasetName; testSize: number; nTrain: number; nTest: number }[];
}

// scikit-learn 1.2's train_test_split, made by fixtures/make_sklearn_lockbox.py.
const reference = JSON.parse(readFileSync(new URL("./fixtures/sklearn-lockbox.json", import.meta.url), "utf8")) as Reference;

const newStudy = (name?: string) => createStudy({ storage: ":memory:", direction: "maximize", sampler: "random", seed: 0, name });

/** A tuned study: one COMPLETE trial, so evaluateTest has a best trial to score. */
async function tunedStudy(): Promise<Study> {
  const study = await newStudy();
  await study.addTrial({ params: {}, value: 0.5 });
  return study;
}

/** The rows the study's test set hands over (one look). */
async function unlocked<T>(study: Study): Promise<T> {
  let rows: T | undefined;
  await study.evaluateTest<T>((r) => {
    rows = r;
    return 0;
  });
  return rows!;
}

function classCounts(y: readonly Label[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of y) counts[String(label)] = (counts[String(label)] ?? 0) + 1;
  return counts;
}

describe("lockbox splits as scikit-learn's train_test_split", () => {
  for (const c of reference.ordered) {
    it(`${c.dataset}, testSize ${c.testSize}, shuffle: false: the same train and test rows`, async () => {
      const data = await loadDataset(c.dataset);
      const study = await tunedStudy();
      const { train, test } = await lockbox(data, { study, testSize: c.testSize, shuffle: false });
      assert.deepEqual(
        train.X,
        c.train.map((i) => data.X[i]),
      );
      assert.deepEqual(
        train.y,
        c.train.map((i) => data.y[i]),
      );
      assert.equal(train.frame.shape[0], c.train.length);
      assert.deepEqual(train.frame.index, c.train, "the frame keeps the rows' labels, as pandas does");
      assert.equal(test.size, c.test.length);
      const rows = await unlocked<typeof train>(study);
      assert.deepEqual(rows.y, c.yTest);
      assert.deepEqual(
        rows.X,
        c.test.map((i) => data.X[i]),
      );
      assert.deepEqual(rows.frame.index, c.test);
    });
  }

  for (const c of reference.stratified) {
    it(`${c.dataset}, testSize ${c.testSize}, stratified: the test rows of each class as scikit-learn takes them`, async () => {
      const data = loadArrays(c.dataset);
      const all = classCounts(data.y);
      for (const seed of [0, 1, 7, 2024]) {
        const study = await tunedStudy();
        const { train, test } = await lockbox(data, { study, testSize: c.testSize, stratify: true, seed });
        assert.equal(test.size, c.nTest);
        const rows = await unlocked<typeof train>(study);
        const counts = classCounts(rows.y);
        assert.ok(
          c.classCounts.some((expected) => isDeepStrictEqual(expected, counts)),
          `seed ${seed}: ${JSON.stringify(counts)} is not among scikit-learn's ${JSON.stringify(c.classCounts)}`,
        );
        const trainCounts = classCounts(train.y);
        for (const label of Object.keys(all)) {
          assert.equal(trainCounts[label] + counts[label], all[label], `class ${label}: train and test hold every row`);
          // Proportions kept: each class within one row of its share of the test set.
          assert.ok(Math.abs(counts[label] - (all[label] * c.nTest) / data.y.length) < 1, `class ${label} keeps its share`);
        }
        assert.ok(train.task === "classification" && data.task === "classification");
        assert.deepEqual(train.classes, data.classes, "stratified: every class in train");
      }
    });
  }

  for (const c of reference.shuffled) {
    it(`${c.dataset}, testSize ${c.testSize}, shuffled: scikit-learn's sizes, disjoint halves covering every row`, async () => {
      const data = loadArrays(c.dataset);
      const study = await tunedStudy();
      const { train, test } = await lockbox(data, { study, testSize: c.testSize, seed: 3 });
      assert.equal(train.X.length, c.nTrain);
      assert.equal(test.size, c.nTest);
      const rows = await unlocked<typeof train>(study);
      const key = (row: readonly unknown[], y: unknown) => JSON.stringify([row, y]);
      const everything = data.X.map((row, i) => key(row, data.y[i])).sort();
      const split = [...train.X.map((row, i) => key(row, train.y[i])), ...rows.X.map((row, i) => key(row, rows.y[i]))].sort();
      assert.deepEqual(split, everything);
    });
  }
});

describe("lockbox keeps the shape of its input", () => {
  it("{ X, y } arrays: train is { X, y } arrays; the same seed locks the same rows away", async () => {
    const X = Array.from({ length: 20 }, (_, i) => [i, i * i]);
    const y = X.map(([i]) => i % 2);
    const study = await tunedStudy();
    const { train, test } = await lockbox({ X, y }, { study, testSize: 5, stratify: true, seed: 4 });
    assert.deepEqual(Object.keys(train).sort(), ["X", "y"]);
    assert.equal(train.X.length, 15);
    assert.equal(test.size, 5);
    const again = await tunedStudy();
    const second = await lockbox({ X, y }, { study: again, testSize: 5, stratify: true, seed: 4 });
    assert.deepEqual(second.train, train);
    assert.equal(second.test.fingerprint, test.fingerprint);
    const other = await lockbox({ X, y }, { study: await tunedStudy(), testSize: 5, stratify: true, seed: 5 });
    assert.notEqual(other.test.fingerprint, test.fingerprint, "another seed, other test rows");
  });

  it("a DataFrame X and a Series y: train is a frame and a series of the train rows", async () => {
    const data = await loadDataset("iris");
    const frame = data.frame;
    const X = frame.drop({ columns: [data.targetName] }) as DataFrame;
    const y = frame.column(data.targetName) as Series;
    const study = await tunedStudy();
    const { train } = await lockbox({ X, y }, { study, testSize: 0.2, stratify: true, seed: 1 });
    assert.equal(train.X.shape[0], 120);
    assert.deepEqual(train.X.columns, data.featureNames);
    assert.equal((train.y as Series).values.length, 120);
    assert.deepEqual(train.X.index, (train.y as Series).index, "X and y keep the same rows");
    const rows = await unlocked<typeof train>(study);
    const labels = [...(train.X.index as number[]), ...(rows.X.index as number[])].sort((a, b) => a - b);
    assert.deepEqual(
      labels,
      Array.from({ length: 150 }, (_, i) => i),
    );
  });
});

describe("the locked test set shows no rows", () => {
  it("no own properties; printed, serialised, cloned or spread, it says only how to use it", async () => {
    const data = loadArrays("wine");
    const study = await tunedStudy();
    const { test } = await lockbox(data, { study, testSize: 0.2, seed: 1 });
    const message = `locked test set: ${test.size} rows, use study.evaluateTest`;
    assert.deepEqual(Reflect.ownKeys(test), []);
    assert.deepEqual(Object.keys(test), []);
    assert.deepEqual({ ...test }, {});
    assert.deepEqual(structuredClone(test), {});
    assert.equal(String(test), message);
    assert.equal(JSON.stringify({ test }), JSON.stringify({ test: message }));
    assert.equal(inspect(test, { showHidden: true, depth: null }), message);
    assert.equal(show(test), JSON.stringify(message));
    const inside: string[] = [];
    for (const key in test) inside.push(key);
    assert.deepEqual(inside, []);
    // A value only the test rows hold is nowhere in what the handle shows.
    const rows = await unlocked<typeof data>(study);
    const shown = `${inspect(test, { showHidden: true, depth: null })}${JSON.stringify(test)}${String(test)}`;
    assert.ok(!shown.includes(String(rows.X[0][0])), "no feature value shows");
  });
});

describe("lockbox registers the test set with the study", () => {
  it("records its size and fingerprint in the study, with no look yet", async () => {
    const study = await newStudy();
    const { test } = await lockbox(loadArrays("iris"), { study, testSize: 0.2, stratify: true, seed: 1 });
    const record = lockboxRecord((await study.summary()).systemAttrs);
    assert.deepEqual(record, { testRows: 30, fingerprint: test.fingerprint, looks: [] });
    assert.match(test.fingerprint, /^[0-9a-f]{16}$/);
  });

  it("another split of the same study is refused, naming both fingerprints; the same split is taken again", async () => {
    const study = await newStudy();
    const data = loadArrays("iris");
    const first = await lockbox(data, { study, testSize: 0.2, stratify: true, seed: 1 });
    const other = await lockbox(data, { study: await newStudy(), testSize: 0.2, stratify: true, seed: 2 });
    await assert.rejects(lockbox(data, { study, testSize: 0.2, stratify: true, seed: 2 }), (e: Error) => {
      assert.ok(e instanceof TestSetLockedError);
      for (const part of [
        "lockbox",
        first.test.fingerprint,
        other.test.fingerprint,
        "same data, testSize, stratify, shuffle and seed",
        "new study",
      ]) {
        assert.ok(e.message.includes(part), `${e.message} names ${part}`);
      }
      return true;
    });
    const again = await lockbox(data, { study, testSize: 0.2, stratify: true, seed: 1 });
    assert.equal(again.test.fingerprint, first.test.fingerprint);
    assert.equal(lockboxRecord((await study.summary()).systemAttrs)?.fingerprint, first.test.fingerprint);
  });
});

describe("lockbox explains bad input", () => {
  const refused =
    (...parts: string[]) =>
    (e: unknown) => {
      assert.ok(e instanceof ValueError, `expected a ValueError, got ${e}`);
      for (const part of parts) assert.ok(e.message.includes(part), `${JSON.stringify(e.message)} lacks ${part}`);
      return true;
    };
  const X = [[1], [2], [3], [4], [5], [6]];
  const y = [0, 1, 0, 1, 0, 1];

  it("options", async () => {
    const study = await newStudy();
    await assert.rejects(lockbox({ X, y }, { study, testSize: 0.5 }), refused("lockbox", "seed", "shuffle: false"));
    await assert.rejects(lockbox({ X, y }, { study, seed: 1, testsize: 0.5 } as never), refused("testsize", 'Did you mean "testSize"'));
    await assert.rejects(lockbox({ X, y }, { study: "mine", seed: 1 } as never), refused("study must be the Study", '"mine"'));
    await assert.rejects(lockbox({ X, y }, { study, stratify: true, shuffle: false }), refused("stratified split needs shuffle: true"));
    await assert.rejects(lockbox({ X, y }, { study, seed: 1, testSize: 1.5 }), refused("lockbox:", "testSize=1.5"));
    await assert.rejects(lockbox({ X, y }, { study, seed: -1 }), refused("lockbox", "seed"));
    await assert.rejects(lockbox({ X, y }, null as never), refused("options must be an object"));
    assert.equal(lockboxRecord((await study.summary()).systemAttrs), null, "nothing was registered");
  });

  it("data", async () => {
    const study = await newStudy();
    await assert.rejects(
      lockbox(loadArrays("diabetes"), { study, seed: 1, stratify: true }),
      refused("stratify needs class labels", "regression"),
    );
    await assert.rejects(lockbox({ X, y: [0, 1] }, { study, seed: 1 }), refused("X has 6 rows but y has 2"));
    await assert.rejects(lockbox({ X, y, groups: y } as never, { study, seed: 1 }), refused('"groups"', "{ X, y }"));
    await assert.rejects(lockbox([X, y] as never, { study, seed: 1 }), refused("expected a dataset"));
    await assert.rejects(
      lockbox({ X: "rows", y } as never, { study, seed: 1 }),
      refused("X must be an array of rows or a danfo.js DataFrame"),
    );
    const stored = (await study.summary()).systemAttrs;
    assert.ok(!Object.hasOwn(stored, LOCKBOX_ATTR));
  });
});
