/**
 * Runs the `tunebook` command from source, as a user runs it, and checks what a user sees.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const cli = new URL("../../cli/run.ts", import.meta.url).pathname;
const tsx = import.meta.resolve("tsx");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `tunebook <args>` in `cwd`, its output read through pipes. */
export function tunebook(cwd: string, ...args: string[]): CliRun {
  const run = spawnSync(process.execPath, ["--import", tsx, cli, ...args], { encoding: "utf8", cwd, env: cliEnv() });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * `tunebook <args>` with its output on a terminal (a pseudo-terminal made by util-linux
 * `script`), as when a user types it; the terminal turns each "\n" into "\r\n".
 */
export function tunebookOnTerminal(cwd: string, ...args: string[]): CliRun {
  const command = [process.execPath, "--import", tsx, cli, ...args].map(shellQuote).join(" ");
  const run = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", cwd, env: cliEnv() });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function cliEnv(): NodeJS.ProcessEnv {
  const { TUNEBOOK_STORAGE: _storage, TUNEBOOK_VERBOSITY: _verbosity, TUNEBOOK_DEBUG: _debug, ...env } = process.env;
  return env;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Every file under `dir` with a hash of its bytes: equal snapshots mean nothing was created, changed or removed. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
  }
  return files;
}

/** Control characters other than the line feed: none may reach a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const CONTROL_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/**
 * A refused command: exit `code`, nothing on stdout, and on stderr exactly one line that
 * starts with the one prefix `tunebook <command>: ` (or `tunebook: `), not followed by
 * another (`tunebook trials: `, an API's `createStudy: `), matches
 * `message`, and carries no stack trace or control character.
 */
export function assertOneLineError(run: CliRun, command: string | undefined, code: number, message: RegExp): void {
  const where = `stderr: ${JSON.stringify(run.stderr)}`;
  assert.equal(run.code, code, where);
  assert.equal(run.stdout, "", `stdout: ${JSON.stringify(run.stdout)}`);
  assert.ok(run.stderr.endsWith("\n"), where);
  const lines = run.stderr.slice(0, -1).split("\n");
  assert.equal(lines.length, 1, where);
  const prefix = command === undefined ? "tunebook: " : `tunebook ${command}: `;
  assert.ok(lines[0].startsWith(prefix), where);
  assert.doesNotMatch(lines[0].slice(prefix.length), /^(tunebook\b|[a-z]+[A-Z][A-Za-z]*: |kernel install: )/, `a second prefix: ${where}`);
  assert.doesNotMatch(run.stderr, /\n\s+at /, where);
  assert.doesNotMatch(run.stderr, CONTROL_CHARACTERS, where);
  assert.match(lines[0], message);
}
