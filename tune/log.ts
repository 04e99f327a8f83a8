import { printable } from "../core/terminal.js";

/**
 * Warnings the tuning engine prints (to stderr, so they stay out of a notebook's
 * results), one line each, with the control characters of the names and messages they
 * quote made visible. `setVerbosity("silent")` turns them off.
 */
export type Verbosity = "warn" | "silent";

let verbosity: Verbosity = (process.env.TUNEBOOK_VERBOSITY as Verbosity) === "silent" ? "silent" : "warn";

export function setVerbosity(level: Verbosity): void {
  verbosity = level;
}

export function warn(message: string): void {
  if (verbosity !== "silent") process.stderr.write(`[tunebook] ${printable(message)}\n`);
}
