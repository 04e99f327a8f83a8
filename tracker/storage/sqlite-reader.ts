import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

/**
 * Read-only connections to an SQLite file that write nothing at all: not the database, and
 * no file beside it. For readers such as the tracker UI, which may look at a file in a
 * folder they cannot write to, or at another user's Optuna database.
 *
 * A connection opened `readonly` never writes the database, but in WAL mode SQLite needs
 * the `-wal` and `-shm` files beside it: a reader creates them if they are missing (and
 * leaves them behind, since only a writer may remove them), and fails where it cannot
 * create them (SQLITE_CANTOPEN in a read-only folder). SQLite's answer for that case is the
 * `immutable=1` URI parameter, but better-sqlite3 is built without URI filenames. So:
 *
 * - A database in rollback-journal mode (Optuna's files): a `readonly` connection. It only
 *   takes shared locks, creates no file, and sees every commit of concurrent writers.
 * - A WAL database whose `-wal` exists: some connection has it open (or crashed with it
 *   open). A `readonly` connection uses the existing `-wal` and `-shm` (read-only ones too,
 *   since SQLite 3.22) and, through them, sees the writers' commits as they happen.
 * - A WAL database without `-wal`: no connection has it open, so the file alone holds every
 *   commit. Its bytes are read into memory and opened there (`new Database(buffer)`), marked
 *   as rollback-journal in the copy only, since an in-memory database has no WAL: what
 *   `immutable=1` would do, without assuming the file never changes. Before each read the
 *   file is checked: once a writer appears (a `-wal`) or the file changed, the reader
 *   reopens, by the same rules, and so follows a study that starts running later.
 *   The copy costs memory the size of the file; a file larger than 64 MB is copied to a
 *   temporary file instead (removed on close or exit), which keeps the reader's memory
 *   bounded — SQLite's page cache, not the file — at the cost of the disk space.
 */
export class SqliteReader {
  private db: Database.Database;
  /** The file as it was when copied into memory; null when reading the file itself. */
  private copied: FileSignature | null = null;
  /** The folder of the copy on disk, for a large file. */
  private copyDir: string | null = null;

  constructor(
    readonly path: string,
    private readonly busyTimeoutMs: number,
  ) {
    this.db = this.open();
  }

  /** The connection to read with now: a stale copy is replaced first. */
  current(): Database.Database {
    if (this.copied && (existsSync(walPath(this.path)) || !sameFile(this.copied, signature(this.path)))) {
      this.db.close();
      this.removeCopy();
      this.db = this.open();
    }
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.removeCopy();
  }

  private removeCopy(): void {
    if (this.copyDir === null) return;
    rmSync(this.copyDir, { recursive: true, force: true });
    copyDirs.delete(this.copyDir);
    this.copyDir = null;
  }

  private open(): Database.Database {
    this.copied = null;
    if (!isWalMode(this.path) || existsSync(walPath(this.path))) {
      return new Database(this.path, { readonly: true, fileMustExist: true, timeout: this.busyTimeoutMs });
    }
    // A writer may start, write and checkpoint while the bytes are read: then read them again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = signature(this.path);
      if (before.size > IN_MEMORY_COPY_MAX_BYTES) {
        const copy = this.copyToDisk(before);
        if (copy === "writer") break;
        if (copy === "changed") continue;
        return copy;
      }
      const bytes = readFileSync(this.path);
      if (existsSync(walPath(this.path))) break;
      if (!sameFile(before, signature(this.path))) continue;
      bytes[WRITE_VERSION_OFFSET] = ROLLBACK_JOURNAL;
      bytes[READ_VERSION_OFFSET] = ROLLBACK_JOURNAL;
      this.copied = before;
      return new Database(bytes, { readonly: true });
    }
    // A writer is at work: read through its -wal and -shm.
    return new Database(this.path, { readonly: true, fileMustExist: true, timeout: this.busyTimeoutMs });
  }

  /** The file copied to a temporary one, marked rollback-journal there, and opened; or why not. */
  private copyToDisk(before: FileSignature): Database.Database | "writer" | "changed" {
    removeOrphanedCopies();
    const dir = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${process.pid}-`));
    copyDirs.add(dir);
    const copy = join(dir, "copy.db");
    copyFileSync(this.path, copy);
    const problem = existsSync(walPath(this.path)) ? "writer" : !sameFile(before, signature(this.path)) ? "changed" : null;
    if (problem) {
      rmSync(dir, { recursive: true, force: true });
      copyDirs.delete(dir);
      return problem;
    }
    const fd = openSync(copy, "r+");
    try {
      writeSync(fd, Buffer.from([ROLLBACK_JOURNAL, ROLLBACK_JOURNAL]), 0, 2, WRITE_VERSION_OFFSET);
    } finally {
      closeSync(fd);
    }
    this.copied = before;
    this.copyDir = dir;
    return new Database(copy, { readonly: true, fileMustExist: true });
  }
}

/** Larger files are copied to a temporary file rather than into memory. */
const IN_MEMORY_COPY_MAX_BYTES = 64 * 1024 * 1024;

/** Copies on disk not yet removed: removed when the process exits, whatever happened to their readers. */
const copyDirs = new Set<string>();
process.on("exit", () => {
  for (const dir of copyDirs) rmSync(dir, { recursive: true, force: true });
});

/** Copies on disk are folders named `<prefix><pid of the reader>-<random>` in the temp folder. */
const COPY_PREFIX = "tunebook-reader-";

let orphansRemoved = false;

/**
 * Removes, once a process, the copies of readers that died without removing theirs (a
 * kill -9 skips exit handlers): folders whose process is gone. A folder whose pid is alive
 * is kept, even if that pid now names another program: a copy left is better than one
 * taken from under a reader.
 */
function removeOrphanedCopies(): void {
  if (orphansRemoved) return;
  orphansRemoved = true;
  for (const name of readdirSync(tmpdir())) {
    const pid = new RegExp(`^${COPY_PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The database header's file format versions: 1 for rollback-journal mode, 2 for WAL. */
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;
const ROLLBACK_JOURNAL = 1;
const WAL = 2;

function walPath(path: string): string {
  return `${path}-wal`;
}

function isWalMode(path: string): boolean {
  const header = Buffer.alloc(READ_VERSION_OFFSET + 1);
  const fd = openSync(path, "r");
  try {
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && (header[WRITE_VERSION_OFFSET] === WAL || header[READ_VERSION_OFFSET] === WAL);
  } finally {
    closeSync(fd);
  }
}

/** What changes when a file is written or replaced. */
interface FileSignature {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

function signature(path: string): FileSignature {
  const { ino, size, mtimeNs, ctimeNs } = statSync(path, { bigint: true });
  return { ino, size, mtimeNs, ctimeNs };
}

function sameFile(a: FileSignature, b: FileSignature): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}
