import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { StudySummary } from "../../../core/records.js";
import { compareNested } from "../../../select/compare-nested.js";
import type { NestedCrossValidateResult } from "../../../select/nested-cv.js";
import { compareNestedRuns, type NestedRunEntry, nestedRunEntries } from "../../../tracker/analysis/compare-nested-runs.js";
import { openStorage } from "../../../tracker/storage/open.js";
import type { Storage } from "../../../tracker/storage/storage.js";
import { buildNestedFixture, irisRun, type NestedFixture, SEARCHES } from "../server/nested-fixture.js";

/**
 * Nested runs logged to an SQLite file by nestedCrossValidate, read back through the
 * tracker's storage and compared: the same numbers as compareNested on the results in
 * memory, and runs that cannot pair are set apart, saying why.
 */

const dir = mkdtempSync(join(tmpdir(), "tunebook-compare-nested-"));
const url = `sqlite:${join(dir, "nested.db")}`;
let fx: NestedFixture;
let f1: NestedCrossValidateResult;
let summaries: StudySummary[];
let entries: NestedRunEntry[];

before(async () => {
  const writer = openStorage(url);
  fx = await buildNestedFixture(writer);
  // The k-NN search again, on the same folds, scored by another scorer.
  f1 = await irisRun(writer, "knn-f1", SEARCHES.knn, { scoring: "f1Macro" });
  await writer.close();
  const reader = openStorage(url, { readOnly: true });
  summaries = await reader.listStudies();
  entries = await withDistributions(reader, nestedRunEntries(summaries));
  await reader.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The chosen trials' distributions, read from storage as the UI reads them. */
async function withDistributions(storage: Storage, list: NestedRunEntry[]): Promise<NestedRunEntry[]> {
  const ids = new Map(summaries.map((s) => [s.name, s.studyId]));
  return Promise.all(
    list.map(async (entry) => ({
      ...entry,
      distributions: await Promise.all(
        entry.run.folds.map(async (f) => {
          const trials = await storage.getAllTrials(ids.get(f.study)!);
          return trials.find((t) => t.number === f.trialNumber)!.distributions;
        }),
      ),
    })),
  );
}

const byMean = (results: NestedCrossValidateResult[]) => [...results].sort((a, b) => b.mean - a.mean);

describe("compareNestedRuns over runs read back from SQLite", () => {
  it("finds every run of the experiment, with its direction", () => {
    assert.deepEqual(
      entries.map((e) => [e.run.run, e.direction, e.run.complete]),
      [
        ["knn", "maximize", true],
        ["tree", "maximize", true],
        ["nb", "maximize", true],
        ["nb-kfold", "maximize", true],
        ["knn-f1", "maximize", true],
      ],
    );
  });

  it("ranks the runs on the same folds by mean outer score, as nestedCrossValidate computed it", () => {
    const comparison = compareNestedRuns(entries);
    const ranked = byMean([fx.knn, fx.tree, fx.nb]);
    assert.deepEqual(
      comparison.standings.slice(0, 3).map((s) => [s.name, s.mean, s.std, s.outerScores]),
      ranked.map((r) => [r.name, r.mean, r.std, r.outerScores]),
    );
    assert.equal(comparison.direction, "maximize");
    assert.equal(comparison.scoring, "accuracy");
    for (const result of [fx.knn, fx.tree, fx.nb]) {
      const standing = comparison.standings.find((s) => s.name === result.name)!;
      assert.equal(standing.excluded, undefined);
      assert.deepEqual(standing.stability, result.stability, `${result.name}: the stability nestedCrossValidate measured`);
      assert.deepEqual(
        standing.folds.map((f) => [f.study, f.params, f.trialNumber, f.innerBest, f.outerScore, f.nTrain, f.nTest]),
        result.chosen.map((c) => [c.study, c.params, c.trialNumber, c.innerBest, c.outerScore, c.nTrain, c.nTest]),
      );
      assert.deepEqual(standing.cv, result.cv);
    }
  });

  it("tests the best run against each other exactly as compareNested does", () => {
    const comparison = compareNestedRuns(entries, { alpha: 0.3 });
    const [best, ...others] = byMean([fx.knn, fx.tree, fx.nb]);
    assert.equal(comparison.tests.length, 2);
    for (const [i, other] of others.entries()) {
      const expected = compareNested(best, other, { alpha: 0.3 });
      const test = comparison.tests[i];
      assert.equal(test.a.name, best.name);
      assert.equal(test.b.name, other.name);
      assert.deepEqual(test.tTest, expected.tTest);
      assert.deepEqual(test.wilcoxon, expected.wilcoxon);
      assert.equal(test.meanDifference, expected.meanDifference);
      assert.deepEqual(test.significant, expected.significant);
      assert.equal(test.better, expected.better === null ? null : expected.better === "a" ? best.name : other.name);
      assert.equal(test.a.mean, expected.a.mean);
      assert.equal(test.b.mean, expected.b.mean);
    }
    assert.equal(comparison.nTest, 30);
    assert.equal(comparison.nTrain, 120);
  });

  it("sets apart runs on other outer folds or scored otherwise, saying why", () => {
    const comparison = compareNestedRuns(entries);
    const excluded = comparison.standings.slice(3);
    assert.deepEqual(
      excluded.map((s) => s.name),
      ["nb-kfold", "knn-f1"],
    );
    assert.match(excluded[0].excluded!, /other outer folds \(outer fold 1 tests other rows\)/);
    assert.match(excluded[1].excluded!, /scored by "f1Macro" \(maximize\), the others by "accuracy"/);
    assert.equal(excluded[0].mean, fx.otherFolds.mean);
    assert.equal(excluded[1].mean, f1.mean);
    assert.ok(comparison.tests.every((t) => t.b.name !== "nb-kfold" && t.b.name !== "knn-f1"));
  });

  it("ranks the folds most runs share: runs on other folds alone do not win the reference", () => {
    const otherFirst = [entries[3], ...entries.slice(0, 3)];
    const comparison = compareNestedRuns(otherFirst);
    assert.deepEqual(comparison.standings.at(-1)!.name, "nb-kfold");
    assert.ok(comparison.standings.at(-1)!.excluded);
  });

  it("an unfinished run is listed, not ranked", () => {
    const cut = summaries.filter((s) => s.name !== "tree/outer-4");
    const comparison = compareNestedRuns(nestedRunEntries(cut));
    const tree = comparison.standings.find((s) => s.name === "tree")!;
    assert.equal(tree.complete, false);
    assert.equal(tree.excluded, "unfinished: 4 of 5 outer folds recorded");
    assert.equal(comparison.tests.length, 1);
  });

  it("a lower score is better when the scorer says so", () => {
    const asErrors = entries.slice(0, 3).map(
      (e): NestedRunEntry => ({
        ...e,
        direction: "minimize",
        run: {
          ...e.run,
          folds: e.run.folds.map((f) => ({ ...f, outerScore: 1 - f.outerScore })),
          outerScores: e.run.outerScores.map((s) => 1 - s),
          mean: 1 - e.run.mean,
        },
      }),
    );
    const comparison = compareNestedRuns(asErrors);
    assert.deepEqual(
      comparison.standings.map((s) => s.name),
      byMean([fx.knn, fx.tree, fx.nb]).map((r) => r.name),
    );
    assert.equal(comparison.direction, "minimize");
    assert.equal(comparison.tests[0].better, comparison.standings[0].name);
  });

  it("one run: ranked, nothing to test; options are checked", () => {
    assert.equal(compareNestedRuns(entries.slice(0, 1)).noTestReason, "only one run");
    assert.deepEqual(compareNestedRuns([]).standings, []);
    assert.throws(() => compareNestedRuns(entries, { alpha: 2 }), /alpha must be in \(0, 1\), got 2/);
    assert.throws(() => compareNestedRuns(entries, { alfa: 0.1 } as never), /Did you mean "alpha"/);
  });
});
