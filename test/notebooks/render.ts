/**
 * `npm run notebooks`: executes every notebook under notebooks/ with the tunebook kernel
 * (installed to a temporary prefix, run by nbclient through run_notebooks.py), each group
 * of RUNS in a temporary working folder of its own, and saves each notebook back to
 * notebooks/ with its outputs, normalised (see normalise.ts), each chart's SVG replaced by a
 * PNG that code hosts draw (see static-images.ts). Nothing else is written to
 * the repository: the trackers the notebooks create stay in the temporary folders.
 *
 * usage: node --import tsx test/notebooks/render.ts [name.ipynb…]
 * (names restrict the run to the groups of RUNS that hold them: one notebook of the tour renders the whole tour.)
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closest, NotFoundError, show } from "../../core/errors.js";
import { ensureBuilt, installKernelToTemp, jupyterMissing, PYTHON, root } from "../kernel/harness.js";
import { type NotebookJson, normaliseNotebook, serialiseNotebook } from "./normalise.js";
import { RUNS } from "./order.js";
import { chartsAsPng } from "./static-images.js";

const NOTEBOOKS = join(root, "notebooks");

const hint = (name: string) => {
  const near = closest(name, RUNS.flat());
  return near ? ` (did you mean ${show(near)}?)` : "";
};

async function main(wanted: string[]): Promise<void> {
  const missing = jupyterMissing();
  if (missing) throw new Error(`Rendering the notebooks needs Jupyter: ${missing}.`);
  const unknown = wanted.filter((name) => !RUNS.some((run) => run.includes(name)));
  if (unknown.length > 0)
    throw new NotFoundError(
      `No notebook ${unknown.map((n) => show(n)).join(", ")} under notebooks/${hint(unknown[0])}; the notebooks are ${RUNS.flat().join(", ")}.`,
    );
  ensureBuilt();
  const { prefix, env } = installKernelToTemp();
  try {
    for (const run of RUNS.filter((r) => wanted.length === 0 || r.some((name) => wanted.includes(name)))) await renderGroup(run, env);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** Runs one group in a fresh folder and saves each of its notebooks; throws on the first error. */
async function renderGroup(names: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const workdir = mkdtempSync(join(tmpdir(), "tunebook-render-"));
  try {
    for (const name of names) copyFileSync(join(NOTEBOOKS, name), join(workdir, name));
    const executed = join(workdir, "executed");
    const started = Date.now();
    const result = spawnSync(
      PYTHON,
      [join(root, "test", "notebooks", "run_notebooks.py"), workdir, executed, ...names.map((n) => join(workdir, n))],
      { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] },
    );
    if (result.status !== 0) throw new Error(`run_notebooks.py exited with ${result.status} on ${names.join(", ")}`);
    const report = JSON.parse(result.stdout) as { notebooks: { name: string; error: string | null; seconds: number }[] };
    const failed = report.notebooks.find((n) => n.error !== null);
    if (failed) throw new Error(`${failed.name} failed, so nothing of ${names.join(", ")} was saved:\n${failed.error}`);
    const folders = [...new Set([realpathSync(workdir), workdir])];
    for (const { name, seconds } of report.notebooks) {
      const notebook = JSON.parse(readFileSync(join(executed, name), "utf8")) as NotebookJson;
      const target = join(NOTEBOOKS, name);
      const saved = normaliseNotebook(notebook, folders);
      const charts = await chartsAsPng(saved);
      writeFileSync(target, serialiseNotebook(saved));
      console.log(
        `notebooks/${name}: ran in ${seconds.toFixed(0)} s, ${charts} charts, saved ${(statSync(target).size / 1024).toFixed(0)} KiB`,
      );
    }
    console.log(`(${names.length} notebook${names.length > 1 ? "s" : ""} in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
