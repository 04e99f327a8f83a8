import type { Storage } from "../tracker/storage/storage.js";

/** A storage URL (`"sqlite:path"`, `"path.db"`, `":memory:"`, `"postgres://…"`) or an instance. */
export type StorageSpec = string | Storage;

const opened = new Map<string, Promise<Storage>>();
/** The URL each storage was opened from: `storage.url` hides passwords, other processes need them. */
const openedFrom = new WeakMap<Storage, string>();

/** A URL another process (a worker, a heartbeat thread) can open this storage with. */
export function connectionUrl(storage: Storage): string {
  return openedFrom.get(storage) ?? storage.url;
}

/**
 * The storage for a URL, opened once per process: studies created on the same URL
 * share one connection. Default: `$TUNEBOOK_STORAGE`, else `./tunebook.db`.
 * `":memory:"` is always a fresh, private storage.
 */
export function resolveStorage(spec?: StorageSpec): Promise<Storage> {
  if (spec !== undefined && typeof spec !== "string") return Promise.resolve(spec);
  const url = spec ?? process.env.TUNEBOOK_STORAGE ?? "./tunebook.db";
  if (url === ":memory:") return open(url);
  let storage = opened.get(url);
  if (!storage) {
    storage = open(url);
    opened.set(url, storage);
    storage.catch(() => opened.delete(url));
  }
  return storage;
}

/** Closes every storage opened by URL in this process (e.g. before the process exits). */
export async function closeStorages(): Promise<void> {
  const all = [...opened.values()];
  opened.clear();
  await Promise.allSettled(all.map(async (s) => (await s).close()));
}

async function open(url: string): Promise<Storage> {
  const { openStorage } = await import("../tracker/storage/open.js");
  const storage = openStorage(url);
  openedFrom.set(storage, url);
  return storage;
}
