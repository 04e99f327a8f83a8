/**
 * How the kernel finds a cell's ES-module-only imports: `exports` resolution checked
 * against Node's own resolver on packages written to a temporary folder.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  esmOnlyEntry,
  IMPORT_CONDITIONS,
  type ImportScanner,
  importedPackages,
  REQUIRE_CONDITIONS,
  resolveExports,
  withTypesFromExports,
} from "../../kernel/esm-imports.js";

/** The compiler the kernel scans cells with (tslab's). */
const tslabCompiler = createRequire(import.meta.url)("@tslab/typescript-for-tslab") as ImportScanner;
const dir = mkdtempSync(join(tmpdir(), "tunebook-esm-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeTree(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const FIXTURE_EXPORTS = {
  ".": { types: "./types/index.d.ts", node: { import: "./esm/index.js", require: "./cjs/index.cjs" }, default: "./esm/index.js" },
  "./feature": { import: "./esm/feature.js" },
  "./sync": { "module-sync": "./esm/sync.js", import: "./esm/feature.js", require: "./cjs/index.cjs" },
  "./utils/*": "./esm/utils/*.js",
  "./utils/private/*": null,
  "./deep/*/file": { import: ["./esm/deep/*/file.js"] },
};
const ESM = "export const x = 1;\n";
writeTree({
  "node_modules/fixture-pkg/package.json": JSON.stringify({ name: "fixture-pkg", type: "module", exports: FIXTURE_EXPORTS }),
  "node_modules/fixture-pkg/esm/index.js": ESM,
  "node_modules/fixture-pkg/esm/feature.js": ESM,
  "node_modules/fixture-pkg/esm/sync.js": ESM,
  "node_modules/fixture-pkg/esm/utils/a.js": ESM,
  "node_modules/fixture-pkg/esm/utils/private/x.js": ESM,
  "node_modules/fixture-pkg/esm/deep/x/file.js": ESM,
  "node_modules/fixture-pkg/cjs/index.cjs": "exports.x = 1;\n",
  "node_modules/import-only/package.json": JSON.stringify({ name: "import-only", type: "module", exports: { import: "./index.js" } }),
  "node_modules/import-only/index.js": ESM,
  "node_modules/plain-esm/package.json": JSON.stringify({ name: "plain-esm", type: "module", main: "main.js" }),
  "node_modules/plain-esm/main.js": ESM,
  "node_modules/plain-cjs/package.json": JSON.stringify({ name: "plain-cjs", main: "main.js" }),
  "node_modules/plain-cjs/main.js": "exports.x = 1;\n",
  "node_modules/mjs-entry/package.json": JSON.stringify({ name: "mjs-entry", exports: "./entry.mjs" }),
  "node_modules/mjs-entry/entry.mjs": ESM,
});

const SPECIFIERS = [
  "fixture-pkg",
  "fixture-pkg/feature",
  "fixture-pkg/sync",
  "fixture-pkg/utils/a",
  "fixture-pkg/utils/private/x",
  "fixture-pkg/deep/x/file",
  "fixture-pkg/missing",
];

/** Where Node resolves each specifier for `import` (from a module in `dir`), or null when it refuses. */
function nodeImportResolution(): Record<string, string | null> {
  const script = `const out = {}; for (const id of ${JSON.stringify(SPECIFIERS)}) { try { out[id] = import.meta.resolve(id); } catch { out[id] = null; } } console.log(JSON.stringify(out));`;
  const urls = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" })) as Record<
    string,
    string | null
  >;
  return Object.fromEntries(Object.entries(urls).map(([id, url]) => [id, url === null ? null : fileURLToPath(url)]));
}

const ours = (id: string, conditions: readonly string[]): string | null => {
  const subpath = id === "fixture-pkg" ? "." : `./${id.slice("fixture-pkg/".length)}`;
  const found = resolveExports(FIXTURE_EXPORTS, subpath, conditions);
  return found === null ? null : join(dir, "node_modules", "fixture-pkg", found);
};

describe("resolveExports", () => {
  it("finds what Node's import resolver finds: conditions in order, nested, subpath patterns, null targets, arrays", () => {
    const node = nodeImportResolution();
    for (const id of SPECIFIERS) assert.equal(ours(id, IMPORT_CONDITIONS), node[id], id);
    assert.ok(Object.values(node).filter((path) => path !== null).length >= 5, "most specifiers resolve");
  });

  it("finds what Node's require resolver finds", () => {
    const require = createRequire(join(dir, "index.js"));
    for (const id of SPECIFIERS) {
      let expected: string | null;
      try {
        expected = require.resolve(id);
      } catch {
        expected = null;
      }
      assert.equal(ours(id, REQUIRE_CONDITIONS), expected, id);
    }
  });
});

describe("esmOnlyEntry", () => {
  const node = (id: string) =>
    fileURLToPath(
      execFileSync(process.execPath, ["--input-type=module", "-e", `console.log(import.meta.resolve(${JSON.stringify(id)}))`], {
        cwd: dir,
        encoding: "utf8",
      }).trim(),
    );

  it("names the ES module import loads when require would load it too or nothing", () => {
    for (const id of ["import-only", "plain-esm", "mjs-entry", "fixture-pkg/feature", "fixture-pkg/sync", "fixture-pkg/utils/a"]) {
      assert.equal(esmOnlyEntry(id, [dir]), node(id), id);
    }
  });

  it("leaves to require a package with a require entry of its own, a CommonJS one, and a missing one", () => {
    for (const id of ["fixture-pkg", "plain-cjs", "no-such-package", "fixture-pkg/utils/private/x"])
      assert.equal(esmOnlyEntry(id, [dir]), null, id);
  });

  it("looks in each folder in turn, and in their parents", () => {
    const nested = join(dir, "notebooks", "deeper");
    mkdirSync(nested, { recursive: true });
    assert.equal(esmOnlyEntry("import-only", [join(tmpdir(), "no-such-folder"), nested]), node("import-only"));
  });
});

describe("importedPackages", () => {
  it("lists bare names imported statically or with import(), once each; not relative paths or Node's modules", () => {
    const code = [
      'import a, { b } from "pkg-a";',
      'import type { T } from "pkg-types";',
      'import "pkg-side-effect";',
      'import * as ns from "@scope/pkg/sub";',
      'import { readFileSync } from "node:fs";',
      'import path from "path";',
      'import local from "./local.js";',
      'const later = await import("pkg-dynamic");',
      'import again from "pkg-a";',
    ].join("\n");
    assert.deepEqual(importedPackages(tslabCompiler, code).sort(), [
      "@scope/pkg/sub",
      "pkg-a",
      "pkg-dynamic",
      "pkg-side-effect",
      "pkg-types",
    ]);
  });
});

describe("withTypesFromExports", () => {
  const exists = (paths: string[]) => (path: string) => paths.includes(path);

  it("gives an ESM package without top-level types the types and entry of its exports", () => {
    const manifest = { type: "module", exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js" } } };
    const out = JSON.parse(withTypesFromExports(JSON.stringify(manifest), "/p", exists([]))!);
    assert.equal(out.types, "./dist/index.d.ts");
    assert.equal(out.main, "./dist/index.js");
  });

  it("takes the declaration file next to the entry when exports name no types", () => {
    const manifest = { type: "module", exports: "./lib/main.js" };
    const out = JSON.parse(withTypesFromExports(JSON.stringify(manifest), "/p", exists([join("/p", "./lib/main.d.ts")]))!);
    assert.equal(out.types, "./lib/main.d.ts");
    const bare = JSON.parse(withTypesFromExports(JSON.stringify(manifest), "/p", exists([]))!);
    assert.equal(bare.types, undefined);
    assert.equal(bare.main, "./lib/main.js");
  });

  it("leaves alone packages with top-level types, CommonJS packages, and ones without exports", () => {
    for (const manifest of [
      { type: "module", types: "./index.d.ts", exports: { types: "./other.d.ts", import: "./index.js" } },
      { exports: { types: "./index.d.ts", require: "./index.js" } },
      { type: "module", main: "./index.js" },
    ]) {
      assert.equal(withTypesFromExports(JSON.stringify(manifest), "/p", exists([])), null, JSON.stringify(manifest));
    }
  });
});
