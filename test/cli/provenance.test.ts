/**
 * `tunebook note`, `tunebook tag` and `tunebook diff`, run for real on an SQLite file that
 * the engine wrote: two studies of the same data file whose content changed between them,
 * with other seeds and one parameter's range widened.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStudy, loadStudy, setVerbosity } from "../../index.js";
import { readCsvTable } from "../../learn/csv.js";
import type { StudyDiff } from "../../tracker/analysis/study-diff.js";
import { closeStorages } from "../../tune/storage.js";
import { assertOneLineError, snapshot, tunebook } from "./run-cli.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-provenance-"));
const db = join(dir, "runs.db");
const csv = join(dir, "train.csv");

before(async () => {
  writeFileSync(csv, "a,b,label\n1,2,0\n3,4,1\n");
  readCsvTable(csv);
  const first = await createStudy({ storage: `sqlite:${db}`, name: "first", sampler: "random", seed: 1 });
  await first.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("n", 1, 4), { nTrials: 3 });
  writeFileSync(csv, "a,b,label\n1,2,0\n3,4,1\n5,6,1\n");
  readCsvTable(csv);
  const second = await createStudy({ storage: `sqlite:${db}`, name: "second", sampler: "random", seed: 2 });
  await second.optimize((t) => t.suggestFloat("x", 0, 5) + t.suggestInt("n", 1, 4), { nTrials: 3 });
  await closeStorages();
});
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

/** `tunebook <args> --storage <db>`, which must succeed. */
function ok(...args: string[]): { stdout: string; stderr: string } {
  const run = tunebook(dir, ...args, "--storage", db);
  assert.equal(run.code, 0, `tunebook ${args.join(" ")}: ${run.stderr}`);
  return run;
}

/** Runs a command that must be refused with one line, and checks that it changed no file. */
function refused(command: string, code: number, message: RegExp, ...args: string[]): void {
  const before = snapshot(dir);
  assertOneLineError(tunebook(dir, command, ...args, "--storage", db), command, code, message);
  assert.deepEqual(snapshot(dir), before, `tunebook ${command} ${args.join(" ")} created or changed a file`);
}

describe("tunebook diff", () => {
  it("leads with the dataset that changed under the same name, then a table per differing section", () => {
    const { stdout } = ok("diff", "first", "second");
    const lines = stdout.split("\n");
    assert.deepEqual(lines.slice(0, 3), ["A: first (study 1)", "B: second (study 2)", ""]);
    assert.match(
      lines[3],
      /^\* Dataset "train\.csv" has the same name but different content \(sha256 \w{12} against \w{12}; 2 rows against 3\)\.$/,
    );
    assert.match(stdout, /\* The search spaces differ in 1 parameter\./);
    assert.match(stdout, /\nsearch space:\nfield\s+A\s+B\n[- ]+\nparam x\s+FloatDistribution\(0, 1\)\s+FloatDistribution\(0, 5\)\n/);
    assert.doesNotMatch(stdout, /param n/, "n's range is the same");
    assert.match(stdout, /\nengine:\nfield\s+A\s+B\n[- ]+\nseed\s+1\s+2\n/);
    assert.match(stdout, /\ndataset train\.csv\s+2 rows × 3 columns, sha256 \w{12}\s+3 rows × 3 columns, sha256 \w{12}\n/);
    for (const same of ["directions", "code", "versions", "machine", "notebook cell"])
      assert.match(stdout, new RegExp(`\\n${same}: identical\\n`));
  });

  it("prints the structure with --json", () => {
    const diff = JSON.parse(ok("diff", "first", "second", "--json").stdout) as StudyDiff;
    assert.deepEqual([diff.a.name, diff.b.name], ["first", "second"]);
    assert.match(diff.headlines[0], /^Dataset "train\.csv"/);
    const changed = diff.sections.filter((s) => !s.identical).map((s) => [s.name, s.rows.map((r) => r.field)]);
    assert.deepEqual(changed, [
      ["search space", ["param x"]],
      ["engine", ["seed"]],
      ["data", ["dataset train.csv"]],
    ]);
  });

  it("refuses an unknown study, naming the known ones", () => {
    refused("diff", 1, /No study named "third"\. Known studies: "first", "second"\.$/, "first", "third");
    refused("diff", 2, /expected a second study name, got none\./, "first");
  });
});

describe("tunebook note", () => {
  it("sets, prints and clears a study's note, Markdown lists included", async () => {
    const markdown = "- wider x helped\n- check `n` next";
    assert.equal(ok("note", "first", markdown).stdout, `Study "first": note set (${markdown.length} characters).\n`);
    assert.equal(ok("note", "first").stdout, `${markdown}\n`);
    const study = await loadStudy({ name: "first", storage: `sqlite:${db}` });
    assert.equal(await study.note(), markdown, "the API reads what the CLI wrote");
    await closeStorages();
    ok("note", "first", "");
    const cleared = ok("note", "first");
    assert.equal(cleared.stdout, "");
    assert.match(cleared.stderr, /^Study "first" has no note/);
  });

  it("sets a trial's note by its number", async () => {
    ok("note", "second", "diverged: lr too high", "--trial", "2");
    assert.equal(ok("note", "second", "--trial", "2").stdout, "diverged: lr too high\n");
    const study = await loadStudy({ name: "second", storage: `sqlite:${db}` });
    const trials = await study.trials();
    await closeStorages();
    assert.deepEqual(
      trials.map((t) => t.systemAttrs["tunebook:note"] ?? null),
      [null, null, "diverged: lr too high"],
    );
  });

  it("refuses an unknown study, a trial the study does not have and a note in several arguments, writing nothing", () => {
    refused("note", 1, /No study named "ghost"\. Known studies: "first", "second"\.$/, "ghost", "text");
    refused("note", 1, /study "first" has no trial number 7; its trials are numbered 0 to 2/, "first", "text", "--trial", "7");
    refused("note", 2, /--trial must be a non-negative integer, got "-1"/, "first", "text", "--trial", "-1");
    refused("note", 2, /the note is one argument, got 2; quote it: tunebook note "first" "two words"/, "first", "two", "words");
  });
});

describe("tunebook tag", () => {
  it("adds tags, prints them as stored (sorted, once each), removes them", async () => {
    assert.equal(ok("tag", "first", "v2-features", "baseline", "baseline").stdout, "baseline\nv2-features\n");
    assert.equal(ok("tag", "first").stdout, "baseline\nv2-features\n");
    assert.equal(ok("tag", "first", "v2-features", "--remove").stdout, "baseline\n");
    const study = await loadStudy({ name: "first", storage: `sqlite:${db}` });
    assert.deepEqual(await study.tags(), ["baseline"]);
    await closeStorages();
    const none = ok("tag", "second");
    assert.equal(none.stdout, "");
    assert.match(none.stderr, /^Study "second" has no tags/);
  });

  it("refuses a bad tag, an unknown study and --remove without tags, writing nothing", () => {
    refused("tag", 1, /the tag "two words" contains a space; join its words with "-", e.g\. "two-words"\.$/, "first", "ok", "two words");
    refused("tag", 1, /the tag "a,b" contains a comma/, "first", "a,b");
    refused("tag", 1, /No study named "ghost"/, "ghost", "baseline");
    refused("tag", 2, /--remove needs the tags to remove/, "first", "--remove");
  });

  it("a command that writes does change the file (so an unchanged snapshot means something)", () => {
    const before = snapshot(dir);
    ok("tag", "second", "checked");
    assert.notDeepEqual(snapshot(dir), before);
  });
});
