import type { Executor } from "tslab/dist/executor.js";
import { show, ValueError } from "../core/errors.js";

/**
 * The kernel's input history, for `history_request`: the cells this kernel ran, by
 * execution count. It keeps no earlier kernels' history: this kernel is session 1,
 * and session 0 (the current one, as IPython numbers them) means the same.
 *
 * - `tail`: the last `n` cells (default 10);
 * - `range`: cells `start` (inclusive) to `stop` (exclusive; 0 or absent: to the end),
 *   negative numbers counting from the end, as IPython reads them;
 * - `search`: cells whose input matches the glob `pattern` (`*`, `?`, `[abc]`, `[^abc]`;
 *   case-sensitive, the whole input), the last `n` of them (all when absent), each
 *   input once with `unique`.
 *
 * Entries are `[session, line, input]`, or `[session, line, [input, output]]` with
 * `output: true`. `raw: true` gives the cell as typed; otherwise the code the kernel ran
 * (a `%%tune` cell as its TypeScript). `output` is the cell's printed value, or null.
 */

export const SESSION = 1;

export interface HistoryRequest {
  hist_access_type?: unknown;
  output?: unknown;
  raw?: unknown;
  session?: unknown;
  start?: unknown;
  stop?: unknown;
  n?: unknown;
  pattern?: unknown;
  unique?: unknown;
}

export type HistoryEntry = [number, number, string] | [number, number, [string, string | null]];

interface Cell {
  line: number;
  raw: string;
  translated: string;
  output: string | null;
}

const TAIL_DEFAULT = 10;

export class CellHistory {
  private readonly cells: Cell[] = [];
  /** The running cell's entry (null when it is not recorded). */
  private current: Cell | null = null;

  /** `translate`: a cell as the kernel runs it (default: as typed). */
  constructor(private readonly translate: (source: string) => string = (source) => source) {}

  /** Records a cell as it starts, under its execution count. */
  record(line: number, source: string): void {
    let translated = source;
    try {
      translated = this.translate(source);
    } catch {
      // A cell the kernel cannot translate is refused when it runs; the history keeps it as typed.
    }
    this.current = { line, raw: source, translated, output: null };
    this.cells.push(this.current);
  }

  /** A cell starts that is not recorded (a silent one, or one with `store_history: false`). */
  skip(): void {
    this.current = null;
  }

  /** The printed value of the running cell. */
  setOutput(text: string): void {
    if (this.current) this.current.output = text;
  }

  /** The entries a `history_request` asks for; throws `ValueError` for a malformed request. */
  query(request: HistoryRequest): HistoryEntry[] {
    const raw = request.raw === true;
    const entry = (cell: Cell): HistoryEntry => {
      const input = raw ? cell.raw : cell.translated;
      return request.output === true ? [SESSION, cell.line, [input, cell.output]] : [SESSION, cell.line, input];
    };
    switch (request.hist_access_type) {
      case "tail":
        return last(this.cells, count("n", request.n) ?? TAIL_DEFAULT).map(entry);
      case "range":
        return this.range(request).map(entry);
      case "search": {
        const matches = globMatcher(request.pattern);
        let found = this.cells.filter((cell) => matches(raw ? cell.raw : cell.translated));
        if (request.unique === true) {
          const lastOf = new Map(found.map((cell) => [raw ? cell.raw : cell.translated, cell]));
          found = found.filter((cell) => lastOf.get(raw ? cell.raw : cell.translated) === cell);
        }
        const n = count("n", request.n);
        return (n === undefined ? found : last(found, n)).map(entry);
      }
      default:
        throw new ValueError(
          `history_request: hist_access_type must be "tail", "range" or "search", got ${show(request.hist_access_type)}.`,
        );
    }
  }

  private range(request: HistoryRequest): Cell[] {
    const session = integer("session", request.session) ?? 0;
    if (session !== 0 && session !== SESSION) return [];
    const end = (this.cells.at(-1)?.line ?? 0) + 1;
    const bound = (value: number) => (value < 0 ? value + end : value);
    const start = bound(integer("start", request.start) ?? 1);
    const stopGiven = integer("stop", request.stop);
    const stop = stopGiven === undefined || stopGiven === 0 ? end : bound(stopGiven);
    return this.cells.filter((cell) => cell.line >= start && cell.line < stop);
  }
}

function last<T>(items: readonly T[], n: number): T[] {
  return n === 0 ? [] : items.slice(-n);
}

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new ValueError(`history_request: ${name} must be an integer, got ${show(value)}.`);
  return value;
}

function count(name: string, value: unknown): number | undefined {
  const n = integer(name, value);
  if (n !== undefined && n < 0) throw new ValueError(`history_request: ${name} must be 0 or more, got ${n}.`);
  return n;
}

/** A whole-string matcher for a glob as SQLite's GLOB (IPython's history search) reads it. */
export function globMatcher(pattern: unknown): (text: string) => boolean {
  if (typeof pattern !== "string") throw new ValueError(`history_request: a search needs a glob pattern string, got ${show(pattern)}.`);
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else if (ch === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let set = pattern.slice(i + 1, close);
      const negated = set.startsWith("^");
      if (negated) set = set.slice(1);
      source += `[${negated ? "^" : ""}${set.replace(/[\\\]]/g, "\\$&")}]`;
      i = close;
    } else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  const regex = new RegExp(`^${source}$`, "u");
  return (text) => regex.test(text);
}

/**
 * Records each cell as it starts, under its execution count: tslab counts every cell
 * it runs, one by one, and so does this. Silent cells and those with
 * `store_history: false` run unrecorded.
 */
export function recordingHistory(
  executor: Executor,
  history: CellHistory,
  running: () => { silent: boolean; storeHistory: boolean } | null,
): void {
  const execute = executor.execute.bind(executor);
  let count = 0;
  executor.execute = async (source: string) => {
    const line = ++count;
    const request = running();
    if (request && (request.silent || !request.storeHistory)) history.skip();
    else history.record(line, source);
    return execute(source);
  };
}
