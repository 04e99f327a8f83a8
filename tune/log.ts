/**
 * Warnings the tuning engine prints (to stderr, so they stay out of a notebook's
 * results). `setVerbosity("silent")` turns them off.
 */
export type Verbosity = "warn" | "silent";

let verbosity: Verbosity = (process.env.TUNEBOOK_VERBOSITY as Verbosity) === "silent" ? "silent" : "warn";

export function setVerbosity(level: Verbosity): void {
  verbosity = level;
}

export function warn(message: string): void {
  if (verbosity !== "silent") process.stderr.write(`[tunebook] ${message}\n`);
}
