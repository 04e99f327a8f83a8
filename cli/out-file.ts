import { closeSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { show, ValueError } from "../core/errors.js";

const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Checks, before anything is read, that `--out` names a file the command can write: its
 * folder exists, it is not a folder itself, and it is not a database (an export written
 * over `--storage` would destroy every trial). `example` names a file for the message.
 */
export function checkOutFile(path: string, example: string): void {
  const existing = statOrNull(path);
  if (existing?.isDirectory())
    throw new ValueError(`--out ${show(path)} is a folder; give a file path such as ${show(join(path, example))}.`);
  if (existing) {
    if (startsWithSqliteHeader(path))
      throw new ValueError(`--out ${show(path)} is an SQLite database; exporting would overwrite it. Give another file.`);
    return;
  }
  const folder = dirname(resolve(path));
  try {
    if (!statSync(folder).isDirectory()) throw new ValueError(`--out ${show(path)}: ${show(folder)} is a file, not a folder.`);
  } catch (error) {
    if (error instanceof ValueError) throw error;
    throw new ValueError(`--out ${show(path)}: the folder ${show(folder)} does not exist; create it first or choose another path.`);
  }
}

/** Writes the output file; a failure (no permission, a full disk) is a message naming the file. */
export function writeOutFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new ValueError(`--out ${show(path)}: cannot write it (${(error as Error).message}).`);
  }
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function startsWithSqliteHeader(path: string): boolean {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString("latin1") === SQLITE_HEADER;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
