/**
 * Whether the outputs saved in a notebook under notebooks/ are still what the notebook
 * computes: a fresh execution is compared with the saved one, cell by cell. Equal means:
 * the same code, the same outputs of the same types, the same charts (title, marks,
 * encodings, data), the same studies with the same trial counts, and numbers within a
 * tolerance. What depends on the clock or the machine is left out, explicitly: durations
 * as the progress line prints them, timestamps, the tracker UI's port, and table columns
 * of seconds or last activity.
 */
import assert from "node:assert/strict";
import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { root } from "../kernel/harness.js";
import { joined, type NotebookCell, type NotebookJson, type NotebookOutput, normaliseNotebook } from "./normalise.js";

const VEGA_LITE = "application/vnd.vegalite.v5+json";
/** A chart's picture: SVG as the kernel draws it, PNG as notebooks/ saves it (static-images.ts). */
const STATIC_IMAGE = new Set(["image/svg+xml", "image/png"]);

export interface CurrencyOptions {
  /** Numbers match when they differ by at most this, relative to the larger (default 1e-6; 0 to compare exactly). */
  tolerance?: number;
  /**
   * The fresh run had its parameters cell (tagged "parameters") replaced, so budgets differ:
   * that cell's code, trial counts, numbers and text are not compared, only the kinds of
   * outputs, the charts' titles, marks and encodings, and the studies' names (default false).
   */
  parametersReplaced?: boolean;
  /** The working folders of the fresh run, written "." as in the saved notebooks (default none). */
  folders?: readonly string[];
}

/** Durations as formatDuration prints them ("0.3 s", "12 s", "1 min 5 s", "2 h 3 min"). */
const DURATION = /\b(?:\d+ h \d+ min|\d+ min \d+ s|\d+(?:\.\d+)? s)\b/g;
/** ISO-like timestamps ("2026-12-05 18:52:03", "2026-12-05T18:52:03.123Z"). */
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?\b/g;
/** The port of a server on this machine, chosen by the system. */
const LOCAL_PORT = /\b(127\.0\.0\.1|localhost):\d+/g;
/** Table columns that hold wall-clock seconds or times. */
const TIMING_COLUMNS = new Set(["seconds", "duration", "last activity", "started", "completed"]);
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

/** Text with the clock and the machine taken out. */
export function maskVolatile(text: string): string {
  return text.replace(TIMESTAMP, "<time>").replace(DURATION, "<duration>").replace(LOCAL_PORT, "$1:<port>");
}

/** HTML with the cells of timing columns emptied (each table's header row names its columns). */
export function maskTimingColumns(html: string): string {
  return html.replace(/<table[\s\S]*?<\/table>/g, (table) => {
    const headers = [...table.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((m) => m[1].trim());
    const timing = new Set(headers.flatMap((h, i) => (TIMING_COLUMNS.has(h) ? [i] : [])));
    if (timing.size === 0) return table;
    return table.replace(/<tr>([\s\S]*?)<\/tr>/g, (_row, inner: string) => {
      let column = -1;
      return `<tr>${inner.replace(/(<t[dh][^>]*>)([\s\S]*?)(<\/t[dh]>)/g, (cell, open: string, _content: string, end: string) =>
        timing.has(++column) && open.startsWith("<td") ? `${open}<timing>${end}` : cell,
      )}</tr>`;
    });
  });
}

/** Whether two numbers match within `tolerance`, relative to the larger. */
function close(a: number, b: number, tolerance: number): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/** Where two texts differ (numbers within `tolerance`), or null when they match. */
export function textDifference(saved: string, fresh: string, tolerance: number): string | null {
  const [a, b] = [maskVolatile(saved), maskVolatile(fresh)];
  const words = (text: string) => text.split(NUMBER);
  const numbers = (text: string) => (text.match(NUMBER) ?? []).map(Number);
  const [wa, wb] = [words(a), words(b)];
  const at = (text: string, i: number) => JSON.stringify(text.slice(Math.max(0, i - 30), i + 50));
  if (wa.length !== wb.length || wa.some((w, i) => w !== wb[i])) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return `the text differs: saved ${at(a, i)}, now ${at(b, i)}`;
  }
  const [na, nb] = [numbers(a), numbers(b)];
  const i = na.findIndex((n, k) => !close(n, nb[k], tolerance));
  return i === -1 ? null : `number ${i + 1} of the text differs: saved ${na[i]}, now ${nb[i]}`;
}

/** Where two JSON values differ (numbers within `tolerance`), or null; `path` names the place. */
export function jsonDifference(saved: unknown, fresh: unknown, tolerance: number, path = ""): string | null {
  if (typeof saved === "number" && typeof fresh === "number")
    return close(saved, fresh, tolerance) ? null : `${path || "the value"}: saved ${saved}, now ${fresh}`;
  if (Array.isArray(saved) && Array.isArray(fresh)) {
    if (saved.length !== fresh.length) return `${path}: saved ${saved.length} items, now ${fresh.length}`;
    for (let i = 0; i < saved.length; i++) {
      const found = jsonDifference(saved[i], fresh[i], tolerance, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (saved && fresh && typeof saved === "object" && typeof fresh === "object" && !Array.isArray(saved) && !Array.isArray(fresh)) {
    const [ka, kb] = [Object.keys(saved).sort(), Object.keys(fresh).sort()];
    if (ka.join() !== kb.join()) return `${path || "the object"}: saved keys ${ka.join(", ")}, now ${kb.join(", ")}`;
    for (const key of ka) {
      const found = jsonDifference(
        (saved as Record<string, unknown>)[key],
        (fresh as Record<string, unknown>)[key],
        tolerance,
        `${path}.${key}`,
      );
      if (found) return found;
    }
    return null;
  }
  return typeof saved === "string" && typeof fresh === "string"
    ? textDifference(saved, fresh, tolerance) && `${path}: ${textDifference(saved, fresh, tolerance)}`
    : saved === fresh
      ? null
      : `${path || "the value"}: saved ${JSON.stringify(saved)}, now ${JSON.stringify(fresh)}`;
}

/** A chart's kind: the marks and encodings of every view in the spec, in order, without data. */
export function chartKind(spec: unknown): string[] {
  const kinds: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    if (!node || typeof node !== "object" || Array.isArray(node)) return;
    const view = node as Record<string, unknown>;
    if ("mark" in view) {
      const mark = typeof view.mark === "string" ? view.mark : (view.mark as { type?: string }).type;
      const encoding = Object.entries((view.encoding ?? {}) as Record<string, Record<string, unknown>>)
        .map(([channel, def]) => `${channel}=${[def.field ?? def.value ?? def.datum ?? "", def.type ?? "", def.aggregate ?? ""].join(":")}`)
        .sort();
      kinds.push(`${mark}(${encoding.join(" ")})`);
    }
    for (const [key, value] of Object.entries(view)) if (key !== "data" && key !== "datasets") visit(value);
  };
  visit(spec);
  return kinds;
}

/** The studies a cell's progress lines report: "name done/planned". */
export function studiesOf(outputs: readonly NotebookOutput[]): string[] {
  return outputs.flatMap((o) =>
    [...joined(o.data?.["text/plain"] as string | string[] | undefined).matchAll(/^Study (\S+): (\d+\/\d+) trials/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    ),
  );
}

/** The text of an output that stands for it: HTML when there is some, else plain text or the stream. */
function outputText(output: NotebookOutput): string | null {
  if (output.output_type === "stream") return joined(output.text);
  if (output.output_type === "error") return `${output.ename}: ${output.evalue}`;
  const data = output.data ?? {};
  if (VEGA_LITE in data) return null;
  if ("text/html" in data) return maskTimingColumns(joined(data["text/html"] as string | string[]));
  if ("text/plain" in data) return joined(data["text/plain"] as string | string[]);
  return null;
}

function outputDifference(saved: NotebookOutput, fresh: NotebookOutput, options: Required<CurrencyOptions>): string | null {
  const mimes = (o: NotebookOutput) => [...new Set(Object.keys(o.data ?? {}).map((m) => (STATIC_IMAGE.has(m) ? "image" : m)))].sort();
  const kind = (o: NotebookOutput) => `${o.output_type}${o.name ? ` ${o.name}` : ""} [${mimes(o).join(", ")}]`;
  if (kind(saved) !== kind(fresh)) return `saved ${kind(saved)}, now ${kind(fresh)}`;
  const [specA, specB] = [saved.data?.[VEGA_LITE], fresh.data?.[VEGA_LITE]];
  if (specA !== undefined) {
    const [titleA, titleB] = [saved, fresh].map((o) => joined(o.data?.["text/plain"] as string | string[]).split("\n")[0]);
    if (titleA !== titleB) return `saved the chart ${titleA}, now ${titleB}`;
    const [kindA, kindB] = [chartKind(specA), chartKind(specB)];
    if (kindA.join(" | ") !== kindB.join(" | ")) return `${titleA}: saved marks ${kindA.join(" | ")}, now ${kindB.join(" | ")}`;
    if (options.parametersReplaced) return null;
    const found = jsonDifference(specA, specB, options.tolerance);
    return found && `${titleA}: ${found}`;
  }
  if (options.parametersReplaced) return null;
  const [a, b] = [outputText(saved), outputText(fresh)];
  return a === null || b === null ? null : textDifference(a, b, options.tolerance);
}

/** How the fresh run differs from the saved outputs, one line a difference; [] when they match. */
export function staleOutputs(saved: NotebookJson, fresh: NotebookJson, options: CurrencyOptions = {}): string[] {
  const settings: Required<CurrencyOptions> = { tolerance: 1e-6, parametersReplaced: false, folders: [], ...options };
  const folders = [...new Set(settings.folders.flatMap((folder) => [folder, realpathSync(folder)]))];
  const code = (notebook: NotebookJson) => normaliseNotebook(notebook, folders).cells.filter((c) => c.cell_type === "code");
  const [cellsA, cellsB] = [code(saved), code(fresh)];
  if (cellsA.length !== cellsB.length) return [`saved ${cellsA.length} code cells, now ${cellsB.length}`];
  const differences: string[] = [];
  cellsA.forEach((a: NotebookCell, i) => {
    const b = cellsB[i];
    const where = `cell ${i + 1} (${JSON.stringify(joined(a.source).split("\n")[0].slice(0, 60))})`;
    const replaced = settings.parametersReplaced && a.metadata.tags?.includes("parameters");
    if (!replaced && joined(a.source) !== joined(b.source)) differences.push(`${where}: the code differs from the saved code`);
    const [outA, outB] = [a.outputs ?? [], b.outputs ?? []];
    const [studiesA, studiesB] = [studiesOf(outA), studiesOf(outB)].map((s) =>
      settings.parametersReplaced ? s.map((x) => x.split(" ")[0]) : s,
    );
    if (studiesA.join() !== studiesB.join())
      differences.push(`${where}: saved studies ${studiesA.join(", ") || "none"}, now ${studiesB.join(", ") || "none"}`);
    if (outA.length !== outB.length) {
      differences.push(`${where}: saved ${outA.length} outputs, now ${outB.length}`);
      return;
    }
    outA.forEach((o, k) => {
      const found = outputDifference(o, outB[k], settings);
      if (found) differences.push(`${where}, output ${k + 1}: ${found}`);
    });
  });
  return differences;
}

/**
 * Asserts that notebooks/<name> holds what the executed copy at `executedPath` shows; the
 * failure lists the differences and says how to save fresh outputs.
 */
export function assertCurrent(name: string, executedPath: string, options: CurrencyOptions = {}): void {
  const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as NotebookJson;
  const differences = staleOutputs(read(join(root, "notebooks", name)), read(executedPath), options);
  assert.deepEqual(
    differences,
    [],
    `The outputs saved in notebooks/${name} are not what it computes now (${differences.length} differences, above); run \`npm run notebooks\` to save fresh ones.`,
  );
}
