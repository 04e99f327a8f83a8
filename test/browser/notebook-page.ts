/**
 * A classic Jupyter Notebook page driven as a person drives it: menus and toolbar
 * buttons for actions; the page's own `Jupyter` object only to wait and to read
 * what the cells hold.
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, type PageWatch, watchedPage } from "./chromium.js";
import type { NotebookServer } from "./notebook-server.js";

/** A notebook open in a page, its kernel started and idle; `notFound`: the URLs the page asked for in vain (404). */
export async function openNotebook(
  browser: Browser,
  server: NotebookServer,
  name: string,
): Promise<{ page: Page; watch: PageWatch; notFound: string[] }> {
  const { page, watch } = await watchedPage(browser);
  const notFound: string[] = [];
  page.on("response", (r) => {
    if (r.status() === 404) notFound.push(r.url());
  });
  await page.goto(server.notebookUrl(name));
  // tsx keeps function names with a helper, `__name`, that the page does not have.
  await page.evaluate("globalThis.__name ??= (f) => f");
  await page.waitForFunction(
    () => {
      const kernel = (window as unknown as JupyterWindow).Jupyter?.notebook?.kernel;
      return kernel?.is_connected() === true && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    },
    null,
    { timeout: 120_000 },
  );
  return { page, watch, notFound };
}

/** Cell ▸ All Output ▸ Clear, then Cell ▸ Run All. */
export async function clearAndRunAll(page: Page): Promise<void> {
  await page.click("#celllink");
  await page.hover("#all_outputs");
  await page.click("#clear_all_output");
  await page.click("#celllink");
  await page.click("#run_all_cells");
}

/** Selects the first code cell and presses the toolbar's Run button. */
export async function runFirstCodeCell(page: Page): Promise<void> {
  await page.click("#notebook-container .code_cell .input_prompt");
  await page.click('button[data-jupyter-action="jupyter-notebook:run-cell-and-select-next"]');
}

/** The toolbar's interrupt button (the black square). */
export async function clickInterrupt(page: Page): Promise<void> {
  await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
}

/**
 * Resolves once no code cell waits or runs ("In [*]") and the kernel indicator is
 * idle, after the run started (some cell showed "*" or all have a number).
 */
export async function waitUntilRunFinished(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const prompts = (window as unknown as JupyterWindow).Jupyter.notebook
        .get_cells()
        .filter((c) => c.cell_type === "code")
        .map((c) => c.input_prompt_number);
      const idle = document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
      return idle && prompts.every((p) => p !== "*") && prompts.some((p) => typeof p === "number");
    },
    null,
    { timeout: timeoutMs, polling: 250 },
  );
}

/** One sample of a cell's progress lines: taken whenever the cell's output changed. */
export interface ProgressSample {
  /** `.tunebook-progress` elements in the cell (one progress line is one element). */
  lines: number;
  /** Output areas in the cell (each display, stream or error output is one). */
  areas: number;
  text: string;
}

/**
 * Starts recording, for every cell, each change of its progress lines and of its
 * number of output areas (a MutationObserver over the notebook); `progressSamples`
 * reads them back, by cell index.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const samples: Record<number, { lines: number; areas: number; text: string }[]> = {};
    (window as unknown as { tunebookProgress: typeof samples }).tunebookProgress = samples;
    const record = () => {
      document.querySelectorAll("#notebook-container > .cell").forEach((cell, index) => {
        const found = [...cell.querySelectorAll(".tunebook-progress")];
        if (found.length === 0) return;
        const sample = {
          lines: found.length,
          areas: cell.querySelectorAll(".output_area").length,
          text: found.map((e) => (e.textContent ?? "").replace(/\s+/g, " ").trim()).join("\n"),
        };
        samples[index] ??= [];
        const last = samples[index].at(-1);
        if (!last || last.lines !== sample.lines || last.areas !== sample.areas || last.text !== sample.text) samples[index].push(sample);
      });
    };
    new MutationObserver(record).observe(document.querySelector("#notebook-container")!, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

export async function progressSamples(page: Page): Promise<Record<number, ProgressSample[]>> {
  return page.evaluate(() => (window as unknown as { tunebookProgress: Record<number, ProgressSample[]> }).tunebookProgress);
}

/** What a code cell holds and shows. */
export interface CellView {
  /** Index among all cells (markdown included), as `progressSamples` keys them. */
  index: number;
  source: string;
  /** The number in "In [n]" (null when it never ran, "*" while queued or running). */
  prompt: number | string | null;
  /** Output types in the notebook model ("display_data", "stream", ...) with their mime types. */
  outputs: { type: string; mimes: string[]; name?: string }[];
  /** Error output areas as shown: their text. */
  errors: string[];
  /** stderr output areas as shown: their text. */
  stderr: string[];
  /** Width and height of each chart drawn (an SVG output or a Vega embed). */
  charts: { width: number; height: number }[];
  /** Captions of the tables shown (tunebook's tables). */
  tables: string[];
  /** The progress lines' text as finally shown. */
  progress: string[];
}

/** Every code cell of the open notebook, as the page shows it. */
export async function readCells(page: Page): Promise<CellView[]> {
  return page.evaluate(() => {
    const notebook = (window as unknown as JupyterWindow).Jupyter.notebook;
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { width: r.width, height: r.height };
    };
    const texts = (cell: Element, selector: string) => [...cell.querySelectorAll(selector)].map((e) => e.textContent ?? "");
    return notebook
      .get_cells()
      .map((cell, index) => ({ cell, index }))
      .filter(({ cell }) => cell.cell_type === "code")
      .map(({ cell, index }) => {
        const element = cell.element[0];
        return {
          index,
          source: cell.get_text(),
          prompt: cell.input_prompt_number ?? null,
          outputs: cell.output_area.outputs.map((o) => ({
            type: o.output_type,
            mimes: Object.keys(o.data ?? {}),
            ...(o.name ? { name: o.name } : {}),
          })),
          errors: texts(element, ".output_error"),
          stderr: texts(element, ".output_stderr"),
          charts: [...element.querySelectorAll(".output_svg svg:not(svg svg), .vega-embed")].map(box),
          tables: [...element.querySelectorAll(".tunebook-captioned > .tunebook-caption")].map((e) => e.textContent ?? ""),
          progress: texts(element, ".tunebook-progress").map((t) => t.replace(/\s+/g, " ").trim()),
        };
      });
  });
}

/**
 * A screenshot of the whole notebook in test-artifacts/<name>.png. The classic notebook
 * scrolls inside its own panel (#site), so the panel is first let out to full height.
 */
export async function notebookScreenshot(page: Page, name: string): Promise<string> {
  await page.addStyleTag({
    content:
      "html, body { height: auto !important; overflow: visible !important; }" +
      " body { position: static !important; }" +
      " #site { height: auto !important; overflow: visible !important; display: block !important; }",
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = new URL(`${name}.png`, ARTIFACTS).pathname;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The parts of the page's `Jupyter` object the tests read. */
interface JupyterWindow {
  Jupyter: {
    notebook: {
      kernel: { is_connected(): boolean } | null;
      get_cells(): {
        cell_type: string;
        input_prompt_number?: number | string | null;
        get_text(): string;
        element: HTMLElement[];
        output_area: { outputs: { output_type: string; name?: string; data?: Record<string, unknown> }[] };
      }[];
    };
  };
}
