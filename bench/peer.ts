import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the shared benchmark material lives: $TUNEBOOK_SHARED, else ../shared next to the repository. */
export function sharedDir(): string {
  const dir = process.env.TUNEBOOK_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared");
  if (!existsSync(join(dir, "bench", "optuna_reference.py"))) {
    throw new Error(
      `The shared benchmark folder was not found at ${dir}; set TUNEBOOK_SHARED to the folder holding bench/optuna_reference.py.`,
    );
  }
  return dir;
}

/** Runs Optuna's reference script (Debian's python3-optuna) and returns its JSON document. */
export function runOptunaReference(args: string[]): Record<string, unknown> {
  const script = join(sharedDir(), "bench", "optuna_reference.py");
  const out = execFileSync("/usr/bin/python3", [script, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out) as Record<string, unknown>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
