import { closest, show, ValueError } from "../core/errors.js";
import type { StudyDirection } from "../core/records.js";
import type { TuneOptions } from "./notebook-tune.js";

/**
 * The `%%tune` cell magic. Its first line holds `key=value` options; the rest of the
 * cell is the objective's body, with `trial` in scope and `return` giving the value:
 *
 * ```
 * %%tune study=rf trials=30 direction=maximize
 * const depth = trial.suggestInt("depth", 2, 12);
 * return score(depth);
 * ```
 *
 * With several objectives, `directions=maximize,minimize` and `return [accuracy, size];`.
 * To stop once more trials are unlikely to help: `stop=converged` (the body records fold
 * scores, e.g. `crossValidate(..., { trial })`) or `stop=noImprovementTrials:30`.
 */

/** Options of the magic line, each checked where it is parsed. */
const MAGIC_KEYS = [
  "study",
  "trials",
  "direction",
  "directions",
  "sampler",
  "pruner",
  "storage",
  "experiment",
  "concurrency",
  "timeout",
  "seed",
  "stop",
] as const;
type MagicKey = (typeof MAGIC_KEYS)[number];

/** The options the magic line can set: a plain-JSON subset of `TuneOptions`. */
export type MagicOptions = Pick<
  TuneOptions,
  "study" | "trials" | "direction" | "directions" | "storage" | "experiment" | "concurrency" | "timeout" | "seed"
> & {
  stop?: "converged" | { noImprovementTrials: number };
  sampler?: string;
  pruner?: string;
};

/** Names accepted by `sampler=` and `pruner=` (the registries of the tuning engine). */
export interface MagicNames {
  samplers: readonly string[];
  pruners: readonly string[];
}

/** A cell that starts with a magic line, turned into plain TypeScript. */
export interface TransformedCell {
  /** The code to run: same number of lines as the cell, the body on its own lines. */
  code: string;
  options: MagicOptions;
  /** Characters added to (positive) or removed from the first line; positions after it shift by this. */
  firstLineShift: number;
}

/** What cells the kernel treats as `%%tune` cells: the magic on the very first line. */
export function isTuneCell(source: string): boolean {
  return /^%%tune(\s|$)/.test(source);
}

/** Any `%%name` cell magic on the first line (to report unknown magics clearly). */
export function cellMagicName(source: string): string | null {
  const match = /^%%(\S*)/.exec(source);
  return match ? match[1] : null;
}

/** The name `tune` is imported under in a transformed cell: unlikely to clash with a user's names, and without a leading "__" (which TypeScript escapes in identifiers). */
export const TUNE_FUNCTION = "$tunebook_tune";

/**
 * Turns a `%%tune` cell into a call of `tune(async (trial) => { body }, options)`;
 * with `directions=`, the body returns one number per objective (`number[]`).
 * The wrapper opens on the magic's own line and closes after the last line, so the
 * body keeps its line numbers and compiler errors point at the cell's own lines.
 * Single-line `import` statements at the top of the body move up to the first line
 * (imports cannot live inside a function); their lines are left blank.
 * Throws `ValueError` for bad options, before anything runs; with `check: false`
 * (for completion while the cell is being written) it never throws.
 */
export function transformTuneCell(source: string, names: MagicNames, { check = true }: { check?: boolean } = {}): TransformedCell {
  const newline = source.indexOf("\n");
  const magicLine = newline < 0 ? source : source.slice(0, newline);
  const bodyLines = newline < 0 ? [] : source.slice(newline + 1).split("\n");
  let options: MagicOptions = {};
  try {
    options = parseMagicLine(magicLine, names);
  } catch (error) {
    if (check) throw error;
  }

  const hoisted: string[] = [];
  for (let i = 0; i < bodyLines.length; i++) {
    const line = bodyLines[i];
    if (line.trim() === "" || /^\s*\/\//.test(line)) continue;
    if (!/^\s*import\s[^()]*\sfrom\s+["'][^"']+["'];?\s*$/.test(line) && !/^\s*import\s+["'][^"']+["'];?\s*$/.test(line)) break;
    hoisted.push(line.trim().endsWith(";") ? line.trim() : `${line.trim()};`);
    bodyLines[i] = "";
  }
  const several = options.directions !== undefined;
  if (check && !bodyLines.some((line) => /\breturn\b/.test(line))) {
    throw new ValueError(
      several
        ? `%%tune: the cell body must \`return\` one value per objective (${options.directions!.join(", ")}), e.g. \`return [accuracy, size];\` after the magic line.`
        : "%%tune: the cell body must `return` the objective's value, e.g. `return accuracy;` after the magic line.",
    );
  }

  const opening =
    `${hoisted.join(" ")}${hoisted.length ? " " : ""}import { tune as ${TUNE_FUNCTION}, studies } from "tunebook"; ` +
    `void (await ${TUNE_FUNCTION}(async (trial): Promise<${several ? "readonly number[]" : "number"}> => {`;
  const closing = `}, ${JSON.stringify(options)}));`;
  return {
    code: [opening, ...bodyLines, closing].join("\n"),
    options,
    firstLineShift: opening.length - magicLine.length,
  };
}

/** Parses `%%tune key=value ...`; values may be quoted with "…" or '…' to hold spaces. */
export function parseMagicLine(line: string, names: MagicNames): MagicOptions {
  const match = /^%%tune(?:\s+(.*))?$/.exec(line.trimEnd());
  if (!match) throw new ValueError(`%%tune: the first line must start with %%tune, got ${show(line)}.`);
  const options: MagicOptions = {};
  const seen = new Set<string>();
  for (const token of tokenize(match[1] ?? "")) {
    const eq = token.indexOf("=");
    if (eq <= 0) throw new ValueError(`%%tune: expected key=value, got ${show(token)}. Options: ${MAGIC_KEYS.join(", ")}.`);
    const key = token.slice(0, eq);
    const value = unquote(token.slice(eq + 1));
    if (!(MAGIC_KEYS as readonly string[]).includes(key)) {
      const hint = closest(key, MAGIC_KEYS);
      throw new ValueError(
        `%%tune: unknown option ${show(key)}.${hint ? ` Did you mean ${show(hint)}?` : ""} Options: ${MAGIC_KEYS.join(", ")}.`,
      );
    }
    if (seen.has(key)) throw new ValueError(`%%tune: option ${show(key)} is given twice.`);
    seen.add(key);
    setOption(options, key as MagicKey, value, names);
  }
  if (options.direction !== undefined && options.directions !== undefined) {
    throw new ValueError(
      `%%tune: give direction= (one objective) or directions= (one per objective), not both; got direction=${options.direction} and directions=${options.directions.join(",")}.`,
    );
  }
  return options;
}

const SETTERS: Record<MagicKey, (options: MagicOptions, value: string, names: MagicNames) => void> = {
  study: (o, v) => (o.study = nonEmpty("study", v)),
  experiment: (o, v) => (o.experiment = nonEmpty("experiment", v)),
  storage: (o, v) => (o.storage = nonEmpty("storage", v)),
  trials: (o, v) => (o.trials = integer("trials", v, 1)),
  concurrency: (o, v) => (o.concurrency = integer("concurrency", v, 1)),
  seed: (o, v) => (o.seed = integer("seed", v, 0)),
  timeout: (o, v) => {
    const seconds = Number(v);
    if (v.trim() === "" || !Number.isFinite(seconds) || seconds <= 0)
      throw new ValueError(`%%tune: timeout must be a positive number of seconds, got ${show(v)}.`);
    o.timeout = seconds;
  },
  direction: (o, v) => {
    if (v !== "minimize" && v !== "maximize") {
      const hint = suggestedDirection(v);
      throw new ValueError(`%%tune: direction must be minimize or maximize, got ${show(v)}.${hint ? ` Did you mean ${show(hint)}?` : ""}`);
    }
    o.direction = v;
  },
  directions: (o, v) => (o.directions = directionList(v)),
  sampler: (o, v, names) => (o.sampler = known("sampler", v, names.samplers)),
  pruner: (o, v, names) => (o.pruner = known("pruner", v, names.pruners)),
  stop: (o, v) => (o.stop = stopCriterion(v)),
};

/** `stop=converged` or `stop=noImprovementTrials:30`. */
function stopCriterion(value: string): MagicOptions["stop"] {
  if (value === "converged") return value;
  const match = /^noImprovementTrials:(.*)$/.exec(value);
  if (match) return { noImprovementTrials: integer("stop=noImprovementTrials:<n>", match[1], 1) };
  const head = value.split(":")[0];
  const hint = closest(head, ["converged", "noImprovementTrials"]) ?? (/^no/i.test(head) ? "noImprovementTrials" : undefined);
  throw new ValueError(
    `%%tune: stop takes converged or noImprovementTrials:<n> (e.g. stop=noImprovementTrials:30), got ${show(value)}.${hint ? ` Did you mean ${show(hint)}?` : ""}`,
  );
}

/**
 * `directions=maximize,minimize`: one direction per objective, at least two (one objective
 * takes `direction=`), each checked and named when it is wrong.
 */
function directionList(value: string): StudyDirection[] {
  const example = "directions=maximize,minimize";
  if (value.trim() === "") throw new ValueError(`%%tune: directions needs a value, e.g. ${example}.`);
  const parts = value.split(",").map((part) => part.trim());
  parts.forEach((part, i) => {
    if (part === "minimize" || part === "maximize") return;
    const hint = part === "" ? undefined : suggestedDirection(part);
    const which = parts.length > 1 ? `direction ${i + 1} of ${show(value)}` : show(value);
    throw new ValueError(
      `%%tune: directions takes minimize or maximize for each objective, comma-separated (${example}); ${which} is ${show(part)}.${hint ? ` Did you mean ${show(hint)}?` : ""}`,
    );
  });
  if (parts.length < 2) {
    throw new ValueError(
      `%%tune: directions lists one direction per objective, at least two (${example}); got only ${show(value)}. For one objective write direction=${parts[0]}.`,
    );
  }
  return parts as StudyDirection[];
}

function suggestedDirection(value: string): StudyDirection | undefined {
  const near = closest(value, ["minimize", "maximize"]) as StudyDirection | undefined;
  return near ?? (/^max/i.test(value) ? "maximize" : /^min/i.test(value) ? "minimize" : undefined);
}

function setOption(options: MagicOptions, key: MagicKey, value: string, names: MagicNames): void {
  SETTERS[key](options, value, names);
}

function nonEmpty(key: string, value: string): string {
  if (value.trim() === "") throw new ValueError(`%%tune: ${key} needs a value, e.g. ${key}=my-${key}.`);
  return value;
}

function integer(key: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < min) {
    throw new ValueError(`%%tune: ${key} must be an integer >= ${min}, got ${show(value)}.`);
  }
  return n;
}

function known(key: string, value: string, names: readonly string[]): string {
  if (names.includes(value)) return value;
  const hint = closest(value, names);
  throw new ValueError(`%%tune: unknown ${key} ${show(value)}.${hint ? ` Did you mean ${show(hint)}?` : ""} Known: ${names.join(", ")}.`);
}

/** Splits on spaces outside quotes; a quote may start anywhere in a token (key="a b"). */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      current += ch;
      quote = ch;
    } else if (/\s/.test(ch)) {
      if (current) tokens.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (quote) throw new ValueError(`%%tune: unclosed quote ${quote} in ${show(text)}.`);
  if (current) tokens.push(current);
  return tokens;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) return value.slice(1, -1);
  return value;
}
