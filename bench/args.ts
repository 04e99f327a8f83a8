/** Command-line options of the benchmarks, read with node:util's parseArgs (unknown options are refused). */
import { parseArgs } from "node:util";

/** The options as strings and flags, refusing unknown ones with a pointer to the script's usage. */
export function readOptions<const Names extends string, const Flags extends string>(
  argv: string[],
  script: string,
  values: readonly Names[],
  flags: readonly Flags[] = [],
): { [K in Names]?: string } & { [K in Flags]?: boolean } {
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const name of values) options[name] = { type: "string" };
  for (const name of flags) options[name] = { type: "boolean" };
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as never;
  } catch (error) {
    throw new Error(`${(error as Error).message}; see the usage at the top of ${script}`);
  }
}

/** "a, b,c" → ["a", "b", "c"]. */
export function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "50,100" → [50, 100], refusing anything but positive integers. */
export function positiveIntegers(option: string, value: string): number[] {
  const numbers = list(value).map(Number);
  if (numbers.length === 0 || !numbers.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--${option} takes positive integers separated by commas, got ${JSON.stringify(value)}`);
  return numbers;
}
