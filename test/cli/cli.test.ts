import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStudy, loadArrays, lockbox, setVerbosity, TrialPruned } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";

setVerbosity("silent");
const cli = new URL("../../cli/run.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-"));
const db = join(dir, "cli.db");

function tunebook(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), cli, ...args], { encoding: "utf8", cwd: dir });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(async () => {
  const study = await createStudy({
    storage: `sqlite:${db}`,
    name: 'rf, "quoted"',
    experiment: "iris",
    direction: "maximize",
    sampler: "random",
    seed: 1,
  });
  await study.optimize(
    (t) => {
      const depth = t.suggestInt("depth", 1, 8);
      t.setUserAttr("fold_scores", [0.9, 0.8]);
      if (t.number === 2) throw new TrialPruned();
      return depth / 10;
    },
    { nTrials: 4 },
  );
  await closeStorages();
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("tunebook CLI", () => {
  it("lists studies with counts and best value", () => {
    const { code, stdout } = tunebook("studies", "--storage", `sqlite:${db}`);
    assert.equal(code, 0);
    assert.match(stdout, /iris\s+rf, "quoted"\s+maximize\s+3\s+1\s+0\s+0/);
    const json = JSON.parse(tunebook("studies", "--storage", db, "--json").stdout);
    assert.equal(json[0].counts.COMPLETE, 3);
  });

  it("says how often a study's locked test set was used", async () => {
    const file = join(dir, "lockbox.db");
    const study = await createStudy({ storage: `sqlite:${file}`, name: "locked", direction: "maximize", sampler: "random", seed: 1 });
    await lockbox(loadArrays("iris"), { study, testSize: 0.2, stratify: true, seed: 1 });
    await createStudy({ storage: `sqlite:${file}`, name: "open" });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    const before = tunebook("studies", "--storage", file);
    assert.match(before.stdout, /test set\n/, "the last column");
    assert.match(before.stdout, /locked\s.*\snot used yet\n/);
    await study.evaluateTest(() => 0.9);
    await study.evaluateTest(() => 0.9, { again: true });
    await closeStorages();
    const { code, stdout } = tunebook("studies", "--storage", file);
    assert.equal(code, 0);
    assert.match(stdout, /locked\s.*\sused 2 times\n/);
    assert.match(stdout, /\bopen\s+minimize\s+0\s+0\s+0\s+0\n/, "a study without a test set: an empty cell");
  });

  it("exports trials as CSV and JSON", () => {
    const csv = tunebook("export", 'rf, "quoted"', "--storage", db);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split("\n");
    assert.equal(lines.length, 5);
    assert.ok(
      lines[0].startsWith("number,state,value,datetime_start,datetime_complete,duration_seconds,params_depth,user_attrs_fold_scores"),
    );
    assert.match(lines[3], /^2,PRUNED,/);
    assert.ok(lines[1].includes('"[0.9,0.8]"'));
    const out = join(dir, "trials.json");
    assert.equal(tunebook("export", 'rf, "quoted"', "--storage", db, "--format", "json", "--out", out).code, 0);
    const trials = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(
      trials.map((t: { number: number }) => t.number),
      [0, 1, 2, 3],
    );
  });

  it("explains bad input and never creates a missing database", () => {
    const missing = join(dir, "nope", "x.db");
    const run = tunebook("studies", "--storage", missing);
    assert.equal(run.code, 1);
    assert.ok(run.stderr.includes(join(dir, "nope")), run.stderr);
    assert.ok(!existsSync(missing));
    const absent = join(dir, "absent.db");
    assert.equal(tunebook("studies", "--storage", absent).code, 1);
    assert.ok(!existsSync(absent), "a read-only command created the database");
    const unknown = tunebook("studys");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "studys". Did you mean "studies"\?/);
    assert.match(tunebook("studies", "--storag", db).stderr, /unknown option --storag. Did you mean --storage\?/);
    assert.match(tunebook("export", "ghost", "--storage", db).stderr, /No study named "ghost".*"rf, \\"quoted\\""/);
    assert.match(tunebook("export", 'rf, "quoted"', "--storage", db, "--format", "xml").stderr, /--format must be csv or json, got "xml"/);
    assert.match(tunebook("worker", "obj.ts", "--storage", db).stderr, /--study <name> is required/);
    assert.match(tunebook("worker", "obj.ts", "--study", "s", "--trials", "ten").stderr, /--trials must be a positive integer, got "ten"/);
  });
});
