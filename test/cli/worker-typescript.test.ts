import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";

const root = new URL("../../", import.meta.url).pathname;
const fixture = new URL("../tune/fixtures/typescript-objective.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-worker-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("tunebook worker with a TypeScript objective, under plain Node", () => {
  it("runs the README's command: objective.ts loads without tsx, and its trials are stored", () => {
    assert.ok(existsSync(join(root, "dist/cli/main.js")), "dist/ is missing: the CLI runs the compiled code; run `npm run build` first");
    const db = join(dir, "worker.db");
    // Plain Node, no --import tsx: as `tunebook` runs from a terminal.
    const run = spawnSync(
      process.execPath,
      [
        join(root, "bin/tunebook.js"),
        "worker",
        fixture,
        "--study",
        "ts",
        "--storage",
        `sqlite:${db}`,
        "--trials",
        "3",
        "--sampler",
        "random",
      ],
      { encoding: "utf8", cwd: dir, env: { ...process.env, NODE_OPTIONS: "" } },
    );
    assert.equal(run.status, 0, `tunebook worker failed:\n${run.stdout}\n${run.stderr}`);
    assert.doesNotMatch(run.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
    const sqlite = new Database(db, { readonly: true });
    const states = sqlite.prepare("SELECT number, state FROM trials ORDER BY number").all();
    sqlite.close();
    assert.deepEqual(states, [
      { number: 0, state: "PRUNED" },
      { number: 1, state: "COMPLETE" },
      { number: 2, state: "COMPLETE" },
    ]);
  });
});
