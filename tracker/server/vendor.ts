import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TunebookError } from "../../core/errors.js";

/**
 * The browser builds of vega, vega-lite and vega-embed, found in node_modules through
 * Node's own resolution (so the UI works offline and serves exactly the installed
 * versions). Each package names its browser bundle in its `unpkg` field.
 */
export const VENDOR_PACKAGES = { vega: "vega", "vega-lite": "vega-lite", "vega-embed": "vega-embed" } as const;
export type VendorName = keyof typeof VENDOR_PACKAGES;

export interface VendorFile {
  path: string;
  version: string;
}

export function resolveVendorFiles(): Record<VendorName, VendorFile> {
  const files = {} as Record<VendorName, VendorFile>;
  for (const name of Object.keys(VENDOR_PACKAGES) as VendorName[]) files[name] = resolveBundle(VENDOR_PACKAGES[name]);
  return files;
}

function resolveBundle(pkg: string): VendorFile {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(pkg));
  } catch {
    throw new TunebookError(`The UI needs the package ${pkg}, which is not installed; run \`npm install\` in the tunebook folder.`);
  }
  // Walk up from the entry file to the package's own package.json.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    let manifest: { name?: string; version?: string; unpkg?: string };
    try {
      manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (manifest.name !== pkg) continue;
    if (!manifest.unpkg) break;
    return { path: join(dir, manifest.unpkg), version: manifest.version ?? "unknown" };
  }
  throw new TunebookError(`Cannot find the browser bundle of ${pkg} (its package.json has no "unpkg" entry); reinstall it.`);
}
