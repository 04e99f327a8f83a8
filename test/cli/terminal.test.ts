/**
 * Names, values and messages from a database or an objective reach the terminal with their
 * control characters shown as escapes, never acted on; files and pipes get the data as stored.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStudy, setVerbosity } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";
import { assertOneLineError, CONTROL_CHARACTERS, tunebook, tunebookOnTerminal } from "./run-cli.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-terminal-"));
const db = join(dir, "evil.db");
const evil = "\x1b[2Jevil\x1b]0;title\x07";
const shownEvil = "\\u001b[2Jevil\\u001b]0;title\\u0007";
const link = "\x1b]8;;http://x\x07click\x1b]8;;\x07";
const c1 = "\x9b2Jc1\u202e";

before(async () => {
  const study = await createStudy({ storage: `sqlite:${db}`, name: evil, experiment: c1, sampler: "random", seed: 1 });
  await study.optimize(
    (t) => {
      t.suggestCategorical("mode", ["a\rb", link]);
      t.setUserAttr("note", c1);
      return t.suggestFloat("x", 0, 1);
    },
    { nTrials: 4 },
  );
  await closeStorages();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function assertPrintable(text: string): void {
  assert.doesNotMatch(text, CONTROL_CHARACTERS, JSON.stringify(text));
}

describe("terminal output", () => {
  it("studies: names and experiments are shown escaped in the table", () => {
    const run = tunebook(dir, "studies", "--storage", db);
    assert.equal(run.code, 0, run.stderr);
    assertPrintable(run.stdout);
    assert.ok(run.stdout.includes(shownEvil), run.stdout);
    assert.ok(run.stdout.includes("\\u009b2Jc1\\u202e"), run.stdout);
  });

  it("studies --json: valid JSON equal to the stored names, with no raw control character", () => {
    const run = tunebook(dir, "studies", "--storage", db, "--json");
    assert.equal(run.code, 0, run.stderr);
    assertPrintable(run.stdout);
    const [study] = JSON.parse(run.stdout) as { name: string; experiment: string }[];
    assert.equal(study.name, evil);
    assert.equal(study.experiment, c1);
  });

  it("trials: parameter values with escapes and carriage returns are shown escaped", () => {
    const run = tunebook(dir, "trials", evil, "--storage", db);
    assert.equal(run.code, 0, run.stderr);
    assertPrintable(run.stdout);
    assert.ok(run.stdout.includes("a\\rb"), run.stdout);
    assert.ok(run.stdout.includes("\\u001b]8;;http://x\\u0007click"), run.stdout);
  });

  it("export: a terminal sees escapes; a pipe and a file get the data exactly as stored", () => {
    const onTerminal = tunebookOnTerminal(dir, "export", evil, "--storage", db);
    assert.equal(onTerminal.code, 0, onTerminal.stdout);
    assertPrintable(onTerminal.stdout.replaceAll("\r\n", "\n"));
    assert.ok(onTerminal.stdout.includes("a\\rb"), onTerminal.stdout);

    const piped = tunebook(dir, "export", evil, "--storage", db);
    assert.equal(piped.code, 0, piped.stderr);
    assert.ok(piped.stdout.includes('"a\rb"') && piped.stdout.includes(c1), JSON.stringify(piped.stdout));
    const out = join(dir, "trials.csv");
    assert.equal(tunebook(dir, "export", evil, "--storage", db, "--out", out).code, 0);
    assert.equal(readFileSync(out, "utf8"), piped.stdout);
  });

  it("export --format json on stdout: valid JSON equal to the stored values, with no raw control character", () => {
    const run = tunebook(dir, "export", evil, "--storage", db, "--format", "json");
    assert.equal(run.code, 0, run.stderr);
    assertPrintable(run.stdout);
    const trials = JSON.parse(run.stdout) as { params: { mode: string }; userAttrs: { note: string } }[];
    assert.deepEqual(new Set(trials.map((t) => t.params.mode)), new Set(["a\rb", link]));
    assert.equal(trials[0].userAttrs.note, c1);
  });

  it("error messages show the names they quote escaped", () => {
    const run = tunebook(dir, "trials", `${c1}${evil}`, "--storage", db);
    assertOneLineError(run, "trials", 1, /No study named "\\u009b2Jc1\\u202e\\u001b\[2Jevil/);
    assert.ok(run.stderr.includes(`Known studies: "${shownEvil}"`), run.stderr);
  });

  it("the engine's warnings, printed by a worker, show the objective's text escaped", () => {
    // The first trial returns text, and fails; the second completes, which ends the budget of one.
    writeFileSync(
      join(dir, "returns-text.mjs"),
      `let calls = 0;\nexport function objective() { return calls++ === 0 ? ${JSON.stringify(`${c1}${evil}`)} : 1; }\n`,
    );
    const run = tunebook(dir, "worker", "returns-text.mjs", "--study", "w", "--storage", join(dir, "worker.db"), "--trials", "1");
    assert.equal(run.code, 0, run.stderr);
    assertPrintable(run.stdout);
    assertPrintable(run.stderr);
    assert.match(run.stderr, /^\[tunebook\] trial 0 failed: The objective returned string "\\u009b2Jc1\\u202e\\u001b\[2Jevil/);
    assert.match(run.stdout, /^trial 0 FAIL\ntrial 1 COMPLETE 1\n/);
  });
});
