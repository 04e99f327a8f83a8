import { checkOptionKeys, closest, StorageError, show } from "../../core/errors.js";
import { InMemoryStorage } from "./memory.js";
import { PostgresStorage } from "./postgres.js";
import { SqliteStorage, type SqliteStorageOptions } from "./sqlite.js";
import type { Storage } from "./storage.js";

export interface OpenStorageOptions {
  /**
   * Refuse to create a database that does not exist yet (an SQLite file, or the tables in
   * a PostgreSQL database): for readers such as the UI. Default `false`.
   */
  mustExist?: boolean;
  /**
   * Open for reading only, for readers such as the UI and `tunebook studies`: the database
   * stays exactly as it is (no journal mode, no tunebook tables, no file beside an SQLite
   * database), also in a folder or on a file the reader cannot write, and every write throws
   * a `StorageError`. Implies `mustExist`. A `Storage` instance passes through as it is.
   * Default `false`.
   */
  readOnly?: boolean;
}

/** The forms `openStorage` accepts, for error messages and docs. */
export const STORAGE_URL_FORMS: readonly string[] = [
  `":memory:" (this process only, gone when it ends)`,
  `"sqlite:<path>", e.g. "sqlite:runs/tunebook.db" (add "?synchronous=full" to sync every commit to disk)`,
  `"sqlite:///<path>" as Optuna and SQLAlchemy write it ("sqlite:///tunebook.db" is relative, "sqlite:////home/me/tunebook.db" absolute)`,
  `a file path ending in .db, .sqlite or .sqlite3, e.g. "./tunebook.db"`,
  `"postgres://user:password@host:5432/database" (or "postgresql://...")`,
];

const SQLITE_QUERY_KEYS = ["synchronous"] as const;
const DEFAULT_URL = "./tunebook.db";

/**
 * Opens the storage a URL names; a `Storage` instance passes through unchanged.
 * Default: `$TUNEBOOK_STORAGE`, else `./tunebook.db`.
 */
export function openStorage(url?: string | Storage, options: OpenStorageOptions = {}): Storage {
  checkOptionKeys("openStorage", options, ["mustExist", "readOnly"]);
  if (isStorage(url)) return url;
  const spec = url ?? (process.env.TUNEBOOK_STORAGE || DEFAULT_URL);
  if (typeof spec !== "string") throw badUrl(spec);
  const readOnly = options.readOnly ?? false;
  const mustExist = readOnly || (options.mustExist ?? false);

  if (spec === ":memory:") {
    if (readOnly)
      throw new StorageError(
        `":memory:" cannot be opened read-only: a new in-memory storage is empty, with nothing to read. Give the URL of a database file or server.`,
      );
    return new InMemoryStorage();
  }
  if (/^postgres(ql)?(\+\w+)?:\/\//i.test(spec)) {
    // Optuna's SQLAlchemy URLs may name a driver ("postgresql+psycopg2://"); pg is ours.
    return new PostgresStorage(spec.replace(/^postgres(ql)?\+\w+:/i, "postgresql:"), { mustExist, readOnly });
  }
  if (/^sqlite:/i.test(spec)) {
    const rest = spec.slice("sqlite:".length);
    let pathAndQuery: string;
    if (rest.startsWith("///")) pathAndQuery = rest.slice(3);
    else if (rest.startsWith("//"))
      throw badUrl(spec, `SQLite URLs have no host; write "sqlite:///relative.db", "sqlite:////absolute/path.db" or "sqlite:path.db".`);
    else pathAndQuery = rest;
    return openSqlite(spec, pathAndQuery, { mustExist, readOnly });
  }
  if (/\.(db|sqlite|sqlite3)(\?.*)?$/i.test(spec) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(spec))
    return openSqlite(spec, spec, { mustExist, readOnly });
  throw badUrl(spec);
}

function openSqlite(spec: string, pathAndQuery: string, opening: Required<OpenStorageOptions>): SqliteStorage {
  const q = pathAndQuery.indexOf("?");
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  if (path === "") throw badUrl(spec, "The SQLite path is empty.");
  const options: SqliteStorageOptions = { ...opening };
  if (q >= 0) {
    for (const [key, value] of new URLSearchParams(pathAndQuery.slice(q + 1))) {
      if (!(SQLITE_QUERY_KEYS as readonly string[]).includes(key)) {
        const hint = closest(key, SQLITE_QUERY_KEYS);
        throw new StorageError(
          `Unknown option ${show(key)} in the storage URL ${show(spec)}.${hint ? ` Did you mean ${show(hint)}?` : ""} Known options: ${SQLITE_QUERY_KEYS.join(", ")}.`,
        );
      }
      const mode = value.toLowerCase();
      if (mode !== "normal" && mode !== "full")
        throw new StorageError(`synchronous=${value} in ${show(spec)}: expected "normal" or "full".`);
      options.synchronous = mode;
    }
  }
  return new SqliteStorage(path, options);
}

function isStorage(value: unknown): value is Storage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Storage).createTrial === "function" &&
    typeof (value as Storage).url === "string"
  );
}

function badUrl(spec: unknown, why = ""): StorageError {
  return new StorageError(
    `Cannot open the storage ${show(spec)}. ${why ? `${why} ` : ""}Accepted forms:\n${STORAGE_URL_FORMS.map((form) => `  - ${form}`).join("\n")}`,
  );
}
