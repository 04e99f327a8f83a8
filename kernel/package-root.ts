import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the tunebook package this code belongs to (where its package.json
 * is), found by walking up from this file: works from the sources and from dist/.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "tunebook") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`tunebook: cannot find the package folder above ${fileURLToPath(import.meta.url)}.`);
    dir = parent;
  }
}
