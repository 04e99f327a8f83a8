/**
 * Parameters named like Object's own methods (`constructor`, `__proto__`, `toString`) are
 * parameters like any other: a trial without one shows an empty cell, never what
 * Object.prototype holds under that name.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStudy, setVerbosity } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";
import { tunebook } from "./run-cli.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-own-"));
const db = join(dir, "own.db");
/** Trial number → the one parameter it has, and its value. */
const expected = new Map<number, [string, number]>();

before(async () => {
  const study = await createStudy({ storage: `sqlite:${db}`, name: "objects", sampler: "random", seed: 1 });
  await study.optimize(
    (t) => {
      const name = t.number % 2 === 0 ? "constructor" : "__proto__";
      const value = t.suggestInt(name, 10 * t.number, 10 * t.number);
      expected.set(t.number, [name, value]);
      return value;
    },
    { nTrials: 6 },
  );
  await closeStorages();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const leaks = /native code|\[object Object\]|function/;

describe("parameters named like Object's methods", () => {
  it("tunebook trials shows each value in its own column and nothing in the other", () => {
    const run = tunebook(dir, "trials", "objects", "--storage", db);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, leaks, run.stdout);
    const [header, , ...rows] = run.stdout.trimEnd().split("\n");
    const columns = header.split(/\s+/);
    const constructorAt = header.indexOf("constructor");
    const protoAt = header.indexOf("__proto__");
    assert.ok(columns.includes("constructor") && columns.includes("__proto__"), header);
    for (const row of rows) {
      const number = Number(row.split(/\s+/)[0]);
      const [name, value] = expected.get(number)!;
      const cell = (at: number) => row.slice(at).split(/\s+/)[0] ?? "";
      assert.equal(cell(name === "constructor" ? constructorAt : protoAt), String(value), row);
      assert.equal(cell(name === "constructor" ? protoAt : constructorAt), "", row);
    }
  });

  it("export --format csv fills only the trial's own parameter", () => {
    const run = tunebook(dir, "export", "objects", "--storage", db, "--format", "csv");
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, leaks, run.stdout);
    const [header, ...rows] = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => line.split(","));
    for (const row of rows) {
      const [name, value] = expected.get(Number(row[0]))!;
      const other = name === "constructor" ? "__proto__" : "constructor";
      assert.equal(row[header.indexOf(`params_${name}`)], String(value), row.join(","));
      assert.equal(row[header.indexOf(`params_${other}`)], "", row.join(","));
    }
  });

  it("export --format json keeps each trial's parameters as its own keys", () => {
    const run = tunebook(dir, "export", "objects", "--storage", db, "--format", "json");
    assert.equal(run.code, 0, run.stderr);
    const trials = JSON.parse(run.stdout) as { number: number; params: Record<string, number> }[];
    assert.equal(trials.length, 6);
    for (const t of trials) {
      const [name, value] = expected.get(t.number)!;
      assert.deepEqual(Object.keys(t.params), [name]);
      assert.equal(t.params[name], value);
    }
  });
});
