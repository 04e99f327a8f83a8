/**
 * Optuna 3.1 as a peer in tests (Debian's python3-optuna through /usr/bin/python3): runs
 * `fixtures/optuna_peer.py` on a storage URL, and says why the tests must skip without it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const PYTHON = "/usr/bin/python3";
const PEER = fileURLToPath(new URL("./fixtures/optuna_peer.py", import.meta.url));

/**
 * For `describe(..., { skip })`: false when Optuna 3 is available; otherwise a loud skip
 * reason, or, with TUNEBOOK_REQUIRE_ALL=1, a failing test in place of the skipped ones.
 */
export function skipWithoutOptuna(): string | false {
  return loudSkip("Optuna interop tests", "Optuna 3.1 is available", optunaProblem());
}

/** For `describe(..., { skip })`: as `skipWithoutOptuna`, and Optuna must reach PostgreSQL (psycopg2). */
export function skipWithoutOptunaOnPostgres(): string | false {
  return loudSkip("Optuna-on-PostgreSQL tests", "Optuna 3.1 reaches PostgreSQL", optunaProblem() || psycopgProblem());
}

/** False when nothing is missing; otherwise the skip reason, said loudly or, under TUNEBOOK_REQUIRE_ALL=1, a failing test. */
function loudSkip(tests: string, requirement: string, problem: string | false): string | false {
  if (!problem) return false;
  const message = `${tests} SKIPPED: ${problem}`;
  if (process.env.TUNEBOOK_REQUIRE_ALL === "1") {
    test(`${requirement} (TUNEBOOK_REQUIRE_ALL=1)`, () => assert.fail(message));
  } else {
    console.warn(`\n!! ${message}\n`);
  }
  return message;
}

function optunaProblem(): string | false {
  try {
    const version = execFileSync(PYTHON, ["-c", "import optuna; print(optuna.__version__)"], { encoding: "utf8", stdio: "pipe" }).trim();
    return version.startsWith("3.") ? false : `Optuna ${version} found, these tests target Optuna 3.1`;
  } catch (error) {
    return `${PYTHON} with Optuna is not available (${(error as Error).message.split("\n")[0]})`;
  }
}

/** Runs one command of the peer (see `fixtures/optuna_peer.py`) on an SQLite file; its JSON output. */
export function optunaPeer<T>(command: string, path: string, study: string, n?: number): T {
  return optunaPeerAt(command, `sqlite:///${path}`, study, n);
}

/** Runs one command of the peer on a storage given by its SQLAlchemy URL; its JSON output. */
export function optunaPeerAt<T>(command: string, storageUrl: string, study: string, n?: number): T {
  const args = [PEER, command, storageUrl, study, ...(n === undefined ? [] : [String(n)])];
  return JSON.parse(execFileSync(PYTHON, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as T;
}

/**
 * The SQLAlchemy URL by which Optuna reaches the PostgreSQL database at `url` (a
 * `postgresql://` URL as tunebook takes it; its `options`, such as a search_path, pass to
 * psycopg2 as they are).
 */
export function optunaPostgresUrl(url: string): string {
  return url.replace(/^postgres(ql)?:\/\//, "postgresql+psycopg2://");
}

function psycopgProblem(): string | false {
  try {
    execFileSync(PYTHON, ["-c", "import psycopg2"], { stdio: "pipe" });
    return false;
  } catch {
    return `${PYTHON} cannot import psycopg2 (apt-get install python3-psycopg2)`;
  }
}
