import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStudy, setVerbosity } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";
import { tunebook } from "./run-cli.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-where-"));
const db = join(dir, "where.db");

before(async () => {
  const study = await createStudy({ storage: `sqlite:${db}`, name: "knn", direction: "maximize", sampler: "random", seed: 3 });
  await study.optimize(
    (t) => {
      const k = t.suggestInt("k", 1, 20);
      const weights = t.suggestCategorical("weights", ["uniform", "distance"]);
      t.setUserAttr("note", k % 2 ? "odd" : "even");
      return k / 20 + (weights === "distance" ? 0.01 : 0);
    },
    { nTrials: 25 },
  );
  await closeStorages();
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The JSON trials `tunebook trials` prints. */
function jsonTrials(
  ...args: string[]
): { number: number; params: Record<string, unknown>; value: number; userAttrs: Record<string, unknown> }[] {
  const run = tunebook(dir, "trials", "knn", "--storage", db, "--format", "json", ...args);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe("tunebook trials --where", () => {
  it("prints only the matching trials, sorted and cut as asked", () => {
    const all = jsonTrials();
    assert.equal(all.length, 25);
    const expected = all
      .filter((t) => (t.params.k as number) > 5 && (t.params.weights === "distance" || t.userAttrs.note === "odd"))
      .sort((a, b) => b.value - a.value || a.number - b.number)
      .slice(0, 4);
    assert.ok(expected.length > 1);
    const got = jsonTrials(
      "--where",
      'params.k > 5 and (params.weights = "distance" or user_attrs.note = "odd")',
      "--sort",
      "value desc",
      "--limit",
      "4",
    );
    assert.deepEqual(
      got.map((t) => t.number),
      expected.map((t) => t.number),
    );
  });

  it("prints a table with how many matched, and CSV", () => {
    const table = tunebook(dir, "trials", "knn", "--storage", db, "--where", "params.k <= 10", "--limit", "2");
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout.trim().split("\n").length, 2 + 2);
    assert.match(table.stderr, /^2 of \d+ matching trials shown\.$/m);
    const csv = tunebook(dir, "trials", "knn", "--storage", db, "--where", "number < 3", "--format", "csv");
    assert.equal(csv.stdout.trim().split("\n").length, 1 + 3);
  });

  it("shows where a filter is wrong, and a bad sort", () => {
    const bad = tunebook(dir, "trials", "knn", "--storage", db, "--where", "params.k == 5");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unexpected "==" at 10; did you mean "params\.k = 5"\?/);
    assert.match(bad.stderr, / {2}params\.k == 5\n {11}\^\^/);
    const sort = tunebook(dir, "trials", "knn", "--storage", db, "--sort", "vaule");
    assert.notEqual(sort.code, 0);
    assert.match(sort.stderr, /--sort takes a field.*did you mean "value"/s);
  });

  it("when nothing matches because a parameter is misspelled, names the study's parameters", () => {
    const typo = tunebook(dir, "trials", "knn", "--storage", db, "--where", 'params.wieghts = "uniform" and params.k > 1');
    assert.equal(typo.code, 0, typo.stderr);
    assert.match(
      typo.stderr,
      /No trial has the parameter "wieghts"; the study's parameters are k, weights\. Did you mean params\.weights for params\.wieghts\?/,
    );
    const none = tunebook(dir, "trials", "knn", "--storage", db, "--where", "params.k > 100");
    assert.equal(none.stderr, "", "no hint when the parameters exist");
  });
});
