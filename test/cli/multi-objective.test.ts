/** `tunebook studies`, `trials`, `export` and `worker` on a study with several objectives and constraints. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStudy, setVerbosity } from "../../index.js";
import { openStorage } from "../../tracker/storage/open.js";
import { closeStorages } from "../../tune/storage.js";
import { tunebook as runTunebook } from "./run-cli.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-mo-"));
const db = join(dir, "mo.db");
const tunebook = (...args: string[]) => runTunebook(dir, ...args);

before(async () => {
  const storage = `sqlite:${db}`;
  // Accuracy up, size down; the constraint (≤ 0 is feasible) rules out trial 1.
  const mo = await createStudy({
    storage,
    name: "forest-size",
    experiment: "digits",
    directions: ["maximize", "minimize"],
    sampler: "random",
  });
  await mo.addTrial({ params: { trees: 20 }, values: [0.9, 120], constraints: [-1] });
  await mo.addTrial({ params: { trees: 200 }, values: [0.95, 300], constraints: [2.5] });
  await mo.addTrial({ params: { trees: 5 }, values: [0.8, 50], constraints: [0] });
  await mo.addTrial({ params: { trees: 40 }, values: [0.85, 200], constraints: [-0.5] }); // dominated by trial 0
  await mo.addTrial({ params: { trees: 80 }, state: "FAIL" });
  const notStarted = await createStudy({ storage, name: "not-started", directions: ["maximize", "minimize"], sampler: "random" });
  await notStarted.addTrial({ params: { trees: 3 }, state: "FAIL" });
  // One objective, no constraints: the output it always had.
  const single = await createStudy({ storage, name: "single", experiment: "wine", direction: "maximize", sampler: "random" });
  await single.addTrial({ params: { depth: 3, kind: "gini" }, value: 0.912345678 });
  await single.addTrial({ params: { depth: 7 }, value: 0.85 });
  await single.addTrial({ params: { depth: 5, kind: "entropy" }, state: "FAIL" });
  await closeStorages();
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("tunebook CLI, several objectives", () => {
  it("studies shows the directions and the Pareto-front size in place of a best value", () => {
    const { code, stdout, stderr } = tunebook("studies", "--storage", db);
    assert.equal(code, 0, stderr);
    // Trials 0 and 2: trial 1 is infeasible, trial 3 dominated, trial 4 failed.
    assert.match(stdout, /^digits\s+forest-size\s+maximize,minimize\s+4\s+0\s+1\s+0\s+front of 2\s+\S+Z$/m);
    assert.match(stdout, /^wine\s+single\s+maximize\s+2\s+0\s+1\s+0\s+0\.912346\s+\S+Z$/m);
    const json = JSON.parse(tunebook("studies", "--storage", db, "--json").stdout) as Record<string, unknown>[];
    const mo = json.find((s) => s.name === "forest-size")!;
    assert.deepEqual([mo.directions, mo.paretoFrontSize, mo.bestValue], [["maximize", "minimize"], 2, null]);
    assert.ok(!("paretoFrontSize" in json.find((s) => s.name === "single")!), "a study with one objective keeps its fields");
  });

  it("trials has one values_<i> column per objective, the constraints and feasible", () => {
    const { code, stdout, stderr } = tunebook("trials", "forest-size", "--storage", db);
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      [
        "number  state     values_0  values_1  constraints  feasible  trees",
        "------  --------  --------  --------  -----------  --------  -----",
        "0       COMPLETE  0.900000  120       [-1]         true      20",
        "1       COMPLETE  0.950000  300       [2.50000]    false     200",
        "2       COMPLETE  0.800000  50        [0]          true      5",
        "3       COMPLETE  0.850000  200       [-0.500000]  true      40",
        "4       FAIL                                                 80",
        "",
      ].join("\n"),
    );
  });

  it("trials of a study with one objective is unchanged, byte for byte", () => {
    const { code, stdout } = tunebook("trials", "single", "--storage", db);
    assert.equal(code, 0);
    // What `tunebook trials` printed before studies had several objectives.
    assert.equal(
      stdout,
      [
        "number  state     value     depth  kind",
        "------  --------  --------  -----  -------",
        "0       COMPLETE  0.912346  3      gini",
        "1       COMPLETE  0.850000  7",
        "2       FAIL                5      entropy",
        "",
      ].join("\n"),
    );
    const csv = tunebook("export", "single", "--storage", db).stdout.split("\n");
    assert.equal(csv[0], "number,state,value,datetime_start,datetime_complete,duration_seconds,params_depth,params_kind,error");
    assert.match(csv[1], /^0,COMPLETE,0\.912345678,/);
  });

  it("export carries every objective's value as values_<i>", () => {
    const { code, stdout, stderr } = tunebook("export", "forest-size", "--storage", db);
    assert.equal(code, 0, stderr);
    const [header, ...rows] = stdout.trim().split("\n");
    const columns = header.split(",");
    assert.ok(columns.includes("values_0") && columns.includes("values_1"), header);
    const cell = (row: number, column: string) => rows[row].split(",")[columns.indexOf(column)];
    assert.deepEqual([cell(1, "values_0"), cell(1, "values_1")], ["0.95", "300"]);
    assert.deepEqual([cell(4, "values_0"), cell(4, "values_1")], ["", ""], "a failed trial has no values");
    assert.deepEqual([cell(0, "constraints"), cell(1, "constraints")], ["[-1]", "[2.5]"], "the constraint values");
    // A study whose trials hold no values yet still gets one column per objective.
    const empty = tunebook("export", "not-started", "--storage", db).stdout.split("\n")[0].split(",");
    assert.deepEqual(empty.slice(0, 4), ["number", "state", "values_0", "values_1"]);
    const json = JSON.parse(tunebook("export", "forest-size", "--storage", db, "--format", "json").stdout);
    assert.deepEqual(json[1].values, [0.95, 300]);
  });

  it("worker joins a study with several objectives: the module's objective returns one number per objective", async () => {
    const storage = `sqlite:${join(dir, "worker.db")}`;
    await createStudy({ storage, name: "shared", directions: ["maximize", "minimize"], sampler: "random" });
    await closeStorages();
    const module = join(dir, "objective.mts");
    writeFileSync(
      module,
      [
        "export function objective(trial: { suggestInt(name: string, low: number, high: number): number }): number[] {",
        '  const trees = trial.suggestInt("trees", 1, 100);',
        "  return [1 - 1 / (trees + 1), trees * 10];",
        "}",
      ].join("\n"),
    );
    const run = tunebook(
      "worker",
      module,
      "--study",
      "shared",
      "--storage",
      storage,
      "--trials",
      "3",
      "--sampler",
      "random",
      "--seed",
      "1",
    );
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.equal(lines.length, 4, run.stdout);
    for (const line of lines.slice(0, 3)) assert.match(line, /^trial \d COMPLETE \[0\.\d+, \d+\]$/);
    assert.match(lines[3], /^worker done: 3 trials run here/);

    const opened = openStorage(storage, { readOnly: true, mustExist: true });
    try {
      const trials = await opened.getAllTrials(await opened.getStudyIdByName("shared"));
      assert.equal(trials.length, 3);
      for (const t of trials) {
        const trees = t.params.trees as number;
        assert.deepEqual(t.values, [1 - 1 / (trees + 1), trees * 10]);
        assert.ok(run.stdout.includes(`trial ${t.number} COMPLETE [${t.values!.join(", ")}]`));
      }
    } finally {
      await opened.close();
    }
  });
});
