/**
 * The package's entry points, imported as a user's code imports them: through the
 * `exports` map of package.json (a self-reference from the package folder, in a
 * plain Node process, so neither tsx nor tsconfig paths stand in for the map).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
};

/** A few names each entry must export: one per layer it gathers. */
const EXPECTED: Record<string, readonly string[]> = {
  tunebook: ["createStudy", "TPESampler", "crossValidate", "RandomForestClassifier", "show", "tune", "InMemoryStorage"],
  "tunebook/tune": ["createStudy", "loadStudy", "TPESampler", "MedianPruner", "Trial"],
  "tunebook/learn": ["crossValidate", "KFold", "metrics", "RandomForestClassifier", "loadDataset", "makePipeline"],
  "tunebook/select": ["nestedCrossValidate", "compareNested", "lockbox"],
  "tunebook/tracker": ["SqliteStorage", "PostgresStorage", "openStorage", "startServer", "paramImportances"],
};

function exportedNames(specifier: string): string[] {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(out) as string[];
}

describe("package entry points", () => {
  it("every entry of the exports map is built and has its declarations", () => {
    for (const [key, target] of Object.entries(manifest.exports)) {
      if (typeof target === "string") continue;
      for (const file of [target.types, target.default]) {
        assert.ok(existsSync(join(ROOT, file)), `${key}: ${file} is missing; run npm run build`);
      }
    }
    assert.deepEqual(
      Object.keys(EXPECTED).sort(),
      Object.keys(manifest.exports)
        .filter((k) => k !== "./package.json")
        .map((k) => (k === "." ? "tunebook" : `tunebook/${k.slice(2)}`))
        .sort(),
    );
  });

  for (const [specifier, names] of Object.entries(EXPECTED)) {
    it(`import from "${specifier}" gives ${names.join(", ")}`, () => {
      const exported = exportedNames(specifier);
      for (const name of names) assert.ok(exported.includes(name), `${specifier} does not export ${name}`);
    });
  }
});
