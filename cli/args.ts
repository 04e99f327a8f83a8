import { closest, show, ValueError } from "../core/errors.js";

/** Parsed command line: positional arguments and `--name value` / `--flag` options. */
export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | true>;
}

/**
 * Parses `--key value`, `--key=value` and bare `--flag` (for keys in `flags`).
 * Unknown keys are an error naming the closest known one.
 */
export function parseArgs(
  command: string,
  argv: readonly string[],
  known: { values?: readonly string[]; flags?: readonly string[] },
): ParsedArgs {
  const values = known.values ?? [];
  const flags = known.flags ?? [];
  const result: ParsedArgs = { positional: [], options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      result.positional.push(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flags.includes(key)) {
      result.options[key] = true;
    } else if (values.includes(key)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ValueError(`tunebook ${command}: --${key} needs a value.`);
      result.options[key] = value;
    } else {
      const hint = closest(key, [...values, ...flags]);
      throw new ValueError(`tunebook ${command}: unknown option --${key}.${hint ? ` Did you mean --${hint}?` : ""}`);
    }
  }
  return result;
}

export function optionalInt(command: string, args: ParsedArgs, key: string): number | undefined {
  const raw = args.options[key];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw === true || raw === "" || !Number.isInteger(value) || value < 0)
    throw new ValueError(`tunebook ${command}: --${key} must be a non-negative integer, got ${show(raw)}.`);
  return value;
}

export function optionalNumber(command: string, args: ParsedArgs, key: string): number | undefined {
  const raw = args.options[key];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw === true || raw === "" || !Number.isFinite(value) || value <= 0)
    throw new ValueError(`tunebook ${command}: --${key} must be a positive number, got ${show(raw)}.`);
  return value;
}

export function stringOption(args: ParsedArgs, key: string): string | undefined {
  const raw = args.options[key];
  return typeof raw === "string" ? raw : undefined;
}
