import { closest, show, ValueError } from "../core/errors.js";

/** A command line the CLI cannot read: a missing or extra argument, an unknown option, a bad option value. */
export class UsageError extends ValueError {}

/** What a command takes on its command line. */
export interface CommandLine {
  /** What each argument is, in order, e.g. `["study name"]` or `["subcommand (install)"]`; each is required (default: none). */
  operands?: readonly string[];
  /** Options that take a value: `--name value` or `--name=value`. */
  values?: readonly string[];
  /** Options that take none: `--name`. */
  flags?: readonly string[];
  /** What the arguments after the operands are, when any number of them may follow, e.g. `"tag"` (default: none may). */
  rest?: string;
}

/** A parsed command line: the arguments, and the options given (flags map to `true`). */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag`; after `--`, everything is an
 * argument (a study name may start with a dash). Refuses what it cannot read, naming it:
 * unknown options (with the closest known one), a value given to a flag, a value option
 * without its value or given twice, missing or extra arguments.
 */
export function parseArgs(command: string, argv: readonly string[], line: CommandLine): ParsedArgs {
  const values = line.values ?? [];
  const flags = line.flags ?? [];
  const result: ParsedArgs = { positional: [], options: new Map() };
  let argumentsOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (argumentsOnly || !looksLikeOption(arg)) {
      result.positional.push(arg);
      continue;
    }
    if (arg === "--") {
      argumentsOnly = true;
      continue;
    }
    const [written, inline] = arg.split(/=(.*)/s, 2);
    const key = written.startsWith("--") ? written.slice(2) : "";
    if (flags.includes(key)) {
      if (inline !== undefined)
        throw new UsageError(`--${key} takes no value, got ${arg}: give --${key} to turn it on, leave it out for off.`);
      result.options.set(key, true);
    } else if (values.includes(key)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${key} needs a value, got none.`);
      if (inline === undefined && value.startsWith("--"))
        throw new UsageError(`--${key} needs a value, got the option ${value}; write --${key}=<value> for a value that starts with --.`);
      if (value === "") throw new UsageError(`--${key} needs a value, got an empty one.`);
      const earlier = result.options.get(key);
      if (earlier !== undefined) throw new UsageError(`--${key} is given twice (${show(earlier)}, then ${show(value)}); give it once.`);
      result.options.set(key, value);
    } else {
      throw unknownOption(written, [...values, ...flags]);
    }
  }
  checkOperands(
    command,
    result.positional.slice(0, line.rest === undefined ? undefined : (line.operands ?? []).length),
    line.operands ?? [],
  );
  return result;
}

/** `-x` and `--x`, but not `-` (a common name for stdin), a negative number nor a Markdown list (`- item`). */
function looksLikeOption(arg: string): boolean {
  return arg.startsWith("-") && arg !== "-" && !/^-[\d.\s]/.test(arg);
}

function unknownOption(written: string, known: readonly string[]): UsageError {
  const hint = closest(written.replace(/^-+/, ""), known);
  if (hint) return new UsageError(`unknown option ${written}. Did you mean --${hint}?`);
  const list = known.length ? `its options are ${known.map((k) => `--${k}`).join(", ")}` : "it takes no options";
  return new UsageError(`unknown option ${written}; ${list}.`);
}

function checkOperands(command: string, given: readonly string[], expected: readonly string[]): void {
  if (given.length < expected.length) {
    const what = expected[given.length];
    throw new UsageError(`expected ${/^[aeiou]/.test(what) ? "an" : "a"} ${what}, got none.`);
  }
  if (given.length > expected.length) {
    const extra = show(given[expected.length]);
    if (expected.length === 0) throw new UsageError(`unexpected argument ${extra}: tunebook ${command} takes none.`);
    const last = expected.length - 1;
    const what = expected[last].replace(/ \(.*\)$/, "");
    throw new UsageError(`unexpected argument ${extra} after the ${what} ${show(given[last])}; quote an argument that has spaces.`);
  }
}

/** Whether the flag `--key` was given. */
export function flag(args: ParsedArgs, key: string): boolean {
  return args.options.get(key) === true;
}

export function stringOption(args: ParsedArgs, key: string): string | undefined {
  const raw = args.options.get(key);
  return typeof raw === "string" ? raw : undefined;
}

/** `--key` as an integer from `min` to `max`, written in plain decimal digits. */
export function integerOption(args: ParsedArgs, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = stringOption(args, key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^[+-]?\d+$/.test(raw) || value < min || value > max) {
    const what =
      max !== Number.MAX_SAFE_INTEGER ? `an integer from ${min} to ${max}` : min === 1 ? "a positive integer" : "a non-negative integer";
    throw new UsageError(`--${key} must be ${what}, got ${show(raw)}.`);
  }
  return value;
}

/** `--key` as a finite number above zero, written in decimal. */
export function positiveNumberOption(args: ParsedArgs, key: string): number | undefined {
  const raw = stringOption(args, key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) || !Number.isFinite(value) || value <= 0)
    throw new UsageError(`--${key} must be a positive number, got ${show(raw)}.`);
  return value;
}

/** `--key` as one of `choices`, naming the closest when it is not. */
export function choiceOption<T extends string>(args: ParsedArgs, key: string, choices: readonly T[]): T | undefined {
  const raw = stringOption(args, key);
  if (raw === undefined || (choices as readonly string[]).includes(raw)) return raw as T | undefined;
  const listed = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(", ")}`;
  const hint = closest(raw, choices);
  throw new UsageError(`--${key} must be ${listed}, got ${show(raw)}.${hint ? ` Did you mean ${show(hint)}?` : ""}`);
}
