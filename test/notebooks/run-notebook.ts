/**
 * One notebook executed by the real Jupyter client (run_notebooks.py over nbclient), for the
 * tests that check a single notebook's outputs against what it stored.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PYTHON, root } from "../kernel/harness.js";

export interface Output {
  output_type: string;
  name?: string;
  text?: string;
  mimes?: string[];
}

export interface Cell {
  index: number;
  source: string;
  outputs: Output[];
}

/**
 * Executes the notebook at `path` (a copy inside `workdir`, which is its working folder) with
 * the kernel environment `env`; asserts it ran to the end with no error or stderr output and
 * returns its cells.
 */
export function executeNotebook(workdir: string, path: string, env: NodeJS.ProcessEnv): Cell[] {
  const run = spawnSync(PYTHON, [join(root, "test", "notebooks", "run_notebooks.py"), workdir, join(workdir, "executed"), path], {
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.status, 0, run.stderr);
  const [report] = (JSON.parse(run.stdout) as { notebooks: { error: string | null; cells: Cell[] }[] }).notebooks;
  assert.equal(report.error, null, report.error ?? "");
  const errors = report.cells.flatMap((c) =>
    c.outputs.filter((o) => o.output_type === "error" || o.name === "stderr").map((o) => `cell ${c.index}: ${o.text}`),
  );
  assert.deepEqual(errors, []);
  return report.cells;
}
