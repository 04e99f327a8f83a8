/** What the sampler and pruner contract kits share: their temporary files and yielding. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { closeStorages } from "../../tune/storage.js";

/**
 * A temporary directory for the SQLite files of the suite being declared: made before
 * its first case, removed after its last, once every storage opened by URL is closed.
 * Returns a getter for the directory's path, valid while the cases run.
 */
export function suiteDirectory(prefix: string): () => string {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(async () => {
    await closeStorages();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Lets other pending work run before going on. */
export const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
