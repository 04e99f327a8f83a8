/**
 * The notebooks as a person uses them: Debian's classic Jupyter Notebook server with the
 * tunebook kernel, and headless Chromium clicking its menus. Every notebook under
 * notebooks/ is opened as written (only a machine-dependent setting of a parameters
 * cell loosened), its outputs cleared and all cells run (Cell ▸ Run All); then
 * what the page shows is checked: every cell ran, no error or stderr area, every chart
 * drawn with a size, each progress line updated in place (one output area whose text
 * changes, the summary table under it once it finished). A screenshot of each lands in
 * test-artifacts/notebook-<name>.png. Last, a long `%%tune` cell is stopped with the
 * toolbar's interrupt button, and the trials it finished are found in its SQLite file.
 */
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { root } from "../kernel/harness.js";
import { browserUnavailable, launch, type PageWatch } from "./chromium.js";
import {
  type CellView,
  clearAndRunAll,
  clickInterrupt,
  notebookScreenshot,
  openNotebook,
  type ProgressSample,
  progressSamples,
  readCells,
  recordProgress,
  runFirstCodeCell,
  waitUntilRunFinished,
} from "./notebook-page.js";
import { type NotebookServer, notebookServerUnavailable, startNotebookServer } from "./notebook-server.js";

const skip = browserUnavailable() ?? notebookServerUnavailable();

const NOTEBOOKS = join(root, "notebooks");
const VEGA_LITE = "application/vnd.vegalite.v5+json";
const SVG = "image/svg+xml";
/** The longest one notebook may run (a safety net for a stuck kernel, not a speed test). */
const RUN_LIMIT_MS = 15 * 60_000;

/**
 * Settings in a notebook's parameters cell (tagged "parameters", as papermill marks it)
 * that depend on the machine, replaced before the run; budgets stay as written.
 * accuracy-vs-size keeps forests that predict 100 rows within `predictLimitMs`: 5 ms
 * on a quiet machine, so generous here, where other tests share the cores.
 */
const MACHINE_PARAMETERS: Record<string, Record<string, string>> = {
  "accuracy-vs-size.ipynb": { predictLimitMs: "50" },
};

/**
 * Every notebook under notebooks/, in run order: those that reopen the tracker the
 * others write (`listStudies`, `loadStudy`) last, otherwise by name.
 */
function runOrder(): string[] {
  const names = readdirSync(NOTEBOOKS)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  const reads = (name: string) => /\b(?:listStudies|loadStudy)\(/.test(readFileSync(join(NOTEBOOKS, name), "utf8"));
  return [...names.filter((n) => !reads(n)), ...names.filter(reads)];
}

interface NotebookJson {
  cells: { cell_type: string; metadata: { tags?: string[] }; source: string[] | string }[];
}

function copyNotebook(name: string, dir: string): void {
  const settings = MACHINE_PARAMETERS[name];
  if (!settings) {
    copyFileSync(join(NOTEBOOKS, name), join(dir, name));
    return;
  }
  const notebook = JSON.parse(readFileSync(join(NOTEBOOKS, name), "utf8")) as NotebookJson;
  const cells = notebook.cells.filter((c) => c.metadata.tags?.includes("parameters"));
  assert.equal(cells.length, 1, `${name}: one cell tagged parameters`);
  let source = Array.isArray(cells[0].source) ? cells[0].source.join("") : cells[0].source;
  for (const [variable, value] of Object.entries(settings)) {
    const line = new RegExp(`^(const ${variable}\\b[^=]*= )[^;]+;`, "m");
    assert.match(source, line, `${name}: the parameters cell sets ${variable}`);
    source = source.replace(line, `$1${value};`);
  }
  cells[0].source = source;
  writeFileSync(join(dir, name), JSON.stringify(notebook));
}

/**
 * The page's console errors and failed requests, less the widgets nbextension the
 * classic notebook always tries to load (without ipywidgets: a 404 and a refused script).
 */
function pageProblems(watch: PageWatch, notFound: readonly string[]): string[] {
  const missing = notFound.filter((url) => new URL(url).pathname.startsWith("/nbextensions/"));
  let explained404 = missing.length;
  const errors = watch.errors.filter((e) => {
    if (/\/nbextensions\//.test(e)) return false;
    if (/Failed to load resource: .* 404/.test(e) && explained404 > 0) {
      explained404--;
      return false;
    }
    return true;
  });
  const failed = notFound.filter((url) => !missing.includes(url)).map((url) => `404 ${url}`);
  return [...failed, ...errors];
}

/** The study and trial counts of a progress line as shown ("random-forest 3/8 trials · best ..."). */
function parseProgress(text: string): { study: string; done: number; planned: number | null } {
  const m = /^(.+?) (\d+)(?:\/(\d+))? trials/.exec(text);
  assert.ok(m, `a study and a trial count in the progress line ${JSON.stringify(text)}`);
  return { study: m[1], done: Number(m[2]), planned: m[3] === undefined ? null : Number(m[3]) };
}

const trialsDone = (text: string) => parseProgress(text).done;

const ENDED = /(finished|interrupted|failed|stopped) after/;

/**
 * A progress line that updated in place: one element throughout, its count going up,
 * and, while the study ran, the cell's only output (of the first `quiet` samples: an
 * interrupt adds a notice under the line while the running trials finish).
 */
function assertUpdatedInPlace(samples: readonly ProgressSample[], where: string, quiet = samples.length): void {
  assert.ok(
    samples.every((s) => s.lines === 1),
    `${where}: one progress line, not one per update (${samples.map((s) => s.lines).join(", ")})`,
  );
  const running = samples.slice(0, quiet).filter((s) => !ENDED.test(s.text));
  assert.ok(running.length > 0, `${where}: the progress line was seen while the study ran`);
  assert.ok(
    running.every((s) => s.areas === 1),
    `${where}: nothing appended while running: ${JSON.stringify(running)}`,
  );
  const texts = [...new Set(samples.map((s) => s.text))];
  assert.ok(texts.length >= 2, `${where}: the line's text changed over time (${JSON.stringify(texts)})`);
  const counts = samples.map((s) => trialsDone(s.text));
  assert.ok(
    counts.every((c, i) => i === 0 || c >= counts[i - 1]),
    `${where}: the trial count never went back (${counts.join(", ")})`,
  );
  assert.ok(counts.at(-1)! > counts[0], `${where}: the trial count went up (${counts.join(", ")})`);
}

function assertNotebookShown(name: string, cells: readonly CellView[], samples: Record<number, ProgressSample[]>): number {
  const code = cells.filter((c) => c.source.trim() !== "");
  assert.ok(code.length > 0, `${name}: code cells`);
  assert.deepEqual(
    code.filter((c) => typeof c.prompt !== "number").map((c) => `cell ${c.index}: In [${c.prompt ?? " "}]`),
    [],
    `${name}: every code cell ran`,
  );
  assert.deepEqual(
    cells.flatMap((c) => c.errors.map((e) => `cell ${c.index}: ${e}`)),
    [],
    `${name}: error outputs`,
  );
  assert.deepEqual(
    cells.flatMap((c) => c.stderr.map((e) => `cell ${c.index}: ${e}`)),
    [],
    `${name}: stderr outputs`,
  );

  // Charts: every output carrying a chart is drawn, each with a size.
  const chartOutputs = cells.flatMap((c) => c.outputs).filter((o) => o.mimes.includes(SVG) || o.mimes.includes(VEGA_LITE));
  const drawn = cells.flatMap((c) => c.charts.map((box) => ({ cell: c.index, ...box })));
  assert.equal(drawn.length, chartOutputs.length, `${name}: one drawing per chart output`);
  assert.deepEqual(
    drawn.filter((b) => !(b.width > 0 && b.height > 0)),
    [],
    `${name}: charts with an empty box`,
  );

  // Progress: each study run showed one line updated in place, then its summary table.
  for (const cell of code.filter((c) => /^%%tune\b/.test(c.source.trimStart())))
    assert.ok(samples[cell.index]?.length, `${name}: cell ${cell.index} (%%tune) showed a progress line`);
  for (const cell of code.filter((c) => samples[c.index]?.length)) {
    const where = `${name}, cell ${cell.index}`;
    assertUpdatedInPlace(samples[cell.index], where);
    assert.equal(cell.progress.length, 1, `${where}: one progress line at the end`);
    const final = cell.progress[0];
    const { study, done, planned } = parseProgress(final);
    // Done: every planned trial ran, or a stop criterion ended the run and says why.
    if (/finished after/.test(final)) assert.equal(done, planned, `${where}: every planned trial ran (${final})`);
    else assert.match(final, /stopped after .* because /, `${where}: the run ended well (${final})`);
    assert.ok(
      cell.tables.some((caption) => caption.startsWith(`Study ${study} (`)),
      `${where}: the best-trial table of ${study} (tables: ${JSON.stringify(cell.tables)})`,
    );
  }
  return drawn.length;
}

describe("the notebooks in the classic Jupyter Notebook, in Chromium", { skip: skip ?? false }, () => {
  const order = runOrder();
  let server: NotebookServer;
  let browser: Browser;

  before(async () => {
    server = await startNotebookServer((dir) => {
      for (const name of order) copyNotebook(name, dir);
    });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("finds the notebooks under notebooks/", () => {
    assert.ok(order.length > 0, `no .ipynb under ${NOTEBOOKS}`);
  });

  for (const name of order) {
    it(`${name}: Run All shows every cell's output, no error, every chart, progress in place`, async (t) => {
      const { page, watch, notFound } = await openNotebook(browser, server, name);
      const picture = `notebook-${name.replace(/\.ipynb$/, "")}`;
      let seconds: number;
      let cells: CellView[];
      let samples: Record<number, ProgressSample[]>;
      try {
        await recordProgress(page);
        const started = Date.now();
        await clearAndRunAll(page);
        await waitUntilRunFinished(page, RUN_LIMIT_MS);
        seconds = (Date.now() - started) / 1000;
        cells = await readCells(page);
        samples = await progressSamples(page);
      } finally {
        // The page as it was, also when the run did not end; the next notebook starts clean.
        await notebookScreenshot(page, picture).catch(() => undefined);
        await page.close();
        await shutDownKernels(server);
      }
      const charts = assertNotebookShown(name, cells, samples);
      assert.deepEqual(pageProblems(watch, notFound), [], `${name}: console errors and failed requests`);
      t.diagnostic(`${name}: ran in ${seconds.toFixed(1)} s, ${charts} charts drawn, screenshot test-artifacts/${picture}.png`);
    });
  }

  it("the toolbar's interrupt button stops a long %%tune cell; the finished trials are in its SQLite file", async (t) => {
    const name = "interrupt.ipynb";
    const created = await server.api(`/api/contents/${name}`, { method: "PUT", body: { type: "notebook", content: scratchNotebook() } });
    assert.equal(created.status, 201, await created.text());
    const { page } = await openNotebook(browser, server, name);
    let before: number;
    let cell: CellView;
    let samples: ProgressSample[];
    let beforeClick: number;
    try {
      await recordProgress(page);
      await runFirstCodeCell(page);
      // Some trials finished: the line says so.
      await page.waitForFunction(
        () => {
          const m = / (\d+)\/1000 trials/.exec(document.querySelector(".tunebook-progress")?.textContent ?? "");
          return m !== null && Number(m[1]) >= 3;
        },
        null,
        { timeout: 60_000, polling: 100 },
      );
      before = trialsDone((await page.textContent(".tunebook-progress"))!);
      [cell] = await readCells(page);
      beforeClick = (await progressSamples(page))[cell.index].length;
      await clickInterrupt(page);
      await waitUntilRunFinished(page, 60_000);
      [cell] = await readCells(page);
      samples = (await progressSamples(page))[cell.index];
    } finally {
      await notebookScreenshot(page, "notebook-interrupt").catch(() => undefined);
      await page.close();
      await shutDownKernels(server);
    }

    assert.equal(typeof cell.prompt, "number", "the cell ended");
    assertUpdatedInPlace(samples, "the interrupted cell", beforeClick);
    assert.equal(cell.progress.length, 1);
    const line = cell.progress[0];
    assert.match(line, /interrupted after/, line);
    const note = /Interrupted: (\d+) trials? finished of 1000 planned; they are saved in (\S+)\./.exec(line);
    assert.ok(note, `the progress line says how far the study got: ${line}`);
    const finished = Number(note[1]);
    assert.ok(finished >= before && finished < 1000, `${finished} trials finished (${before} before the click)`);
    assert.ok(
      cell.stderr.some((s) => /Interrupted/.test(s)),
      `the cell says it was interrupted: ${JSON.stringify(cell.stderr)}`,
    );

    const db = new Database(join(server.dir, "interrupt.db"), { readonly: true, fileMustExist: true });
    try {
      const states = db
        .prepare(
          "SELECT t.state AS state, COUNT(*) AS n FROM trials t JOIN studies s ON s.study_id = t.study_id WHERE s.study_name = 'long' GROUP BY t.state",
        )
        .all() as { state: string; n: number }[];
      const count = Object.fromEntries(states.map((s) => [s.state, s.n]));
      assert.deepEqual(count, { COMPLETE: finished }, "every finished trial stored as COMPLETE, none left RUNNING");
      const values = db
        .prepare(
          "SELECT COUNT(*) AS n FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id JOIN studies s ON s.study_id = t.study_id WHERE s.study_name = 'long'",
        )
        .get() as { n: number };
      assert.equal(values.n, finished, "each stored trial has its value");
    } finally {
      db.close();
    }
    t.diagnostic(`interrupted after ${finished} trials (${before} seen before the click)`);
  });
});

/** A notebook with one `%%tune` cell that would run for minutes: 1,000 trials of ~200 ms. */
function scratchNotebook(): unknown {
  const source = [
    '%%tune study=long storage="sqlite:./interrupt.db" direction=minimize trials=1000 seed=1',
    'const x = trial.suggestFloat("x", -1, 1);',
    "await new Promise((resolve) => setTimeout(resolve, 200));",
    "return x * x;",
  ].join("\n");
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tunebook", display_name: "TypeScript (tunebook)", language: "typescript" } },
    cells: [{ cell_type: "code", id: "interrupt", metadata: {}, source, outputs: [], execution_count: null }],
  };
}

/** Ends the notebook's kernel (its tracker UI server with it) before the next notebook starts one. */
async function shutDownKernels(server: NotebookServer): Promise<void> {
  const sessions = (await (await server.api("/api/sessions")).json()) as { id: string }[];
  for (const s of sessions) await server.api(`/api/sessions/${s.id}`, { method: "DELETE" });
}
