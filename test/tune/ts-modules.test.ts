import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";

const root = new URL("../../", import.meta.url).pathname;
const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-ts-modules-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A user's project made by `npm init`, with tunebook installed: its package.json has no
 * "type", so its own .ts files are CommonJS.
 */
const project = mkdtempSync(join(dir, "project-"));
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project" }));
mkdirSync(join(project, "node_modules"));
symlinkSync(root, join(project, "node_modules", "tunebook"));

/** Runs an ES module script in plain Node (no tsx: NODE_OPTIONS cleared) in the user's project. */
function plainNode(script: string): { status: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(join(root, "dist/index.js")), "dist/ is missing: the package entry is the compiled code; run `npm run build` first");
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    cwd: project,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
}

function storedStates(db: string): unknown[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare("SELECT number, state FROM trials ORDER BY number").all();
  } finally {
    sqlite.close();
  }
}

describe("TypeScript objective modules from plain Node", () => {
  it("a plain Node script optimizes { module: objective.ts } with 2 workers, no tsx anywhere", () => {
    const db = join(dir, "script.db");
    const run = plainNode(`
      const { createStudy, setVerbosity } = await import("tunebook");
      setVerbosity("silent");
      const study = await createStudy({ name: "ts", storage: ${JSON.stringify(`sqlite:${db}`)}, sampler: "random" });
      const result = await study.optimize({ module: ${JSON.stringify(join(fixtures, "typescript-objective.ts"))} }, { workers: 2, nTrials: 4 });
      console.log(JSON.stringify(result));`);
    assert.equal(run.status, 0, `the script failed:\n${run.stdout}\n${run.stderr}`);
    assert.equal(JSON.parse(run.stdout.trim().split("\n").at(-1)!).trialsRun, 4);
    assert.deepEqual(storedStates(db), [
      { number: 0, state: "PRUNED" },
      { number: 1, state: "COMPLETE" },
      { number: 2, state: "COMPLETE" },
      { number: 3, state: "COMPLETE" },
    ]);
  });

  it("refuses TypeScript that Node loads as CommonJS with a ValueError naming the file and the fix", () => {
    writeFileSync(join(project, "objective.ts"), "export function objective(): number { return 0; }\n");
    const run = plainNode(`
      const { loadObjectiveModule } = await import("tunebook/tune");
      await loadObjectiveModule("./objective.ts").then(
        () => console.log(JSON.stringify({ loaded: true })),
        (error) => console.log(JSON.stringify({ name: error.name, message: error.message })),
      );`);
    assert.equal(run.status, 0, run.stderr);
    const failure = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { name?: string; message?: string };
    assert.equal(failure.name, "ValueError", JSON.stringify(failure));
    assert.ok(failure.message!.includes('"./objective.ts"'), failure.message);
    assert.ok(failure.message!.includes(`${join(project, "package.json")} has no "type": "module"`), failure.message);
    assert.ok(failure.message!.includes("rename it to objective.mts"), failure.message);
  });
});
