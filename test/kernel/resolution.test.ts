import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { packageRoot } from "../../kernel/package-root.js";
import { cellRequire, packageLookup } from "../../kernel/resolution.js";

const root = packageRoot();
const notebookDir = mkdtempSync(join(tmpdir(), "tunebook-notebook-"));
after(() => rmSync(notebookDir, { recursive: true, force: true }));

describe("module resolution for notebooks outside the package", () => {
  const lookup = packageLookup(notebookDir, root, existsSync);
  const virtual = join(notebookDir, "node_modules", "tunebook");

  it("finds the package root from the sources", () => {
    assert.ok(existsSync(join(root, "kernel", "magic.ts")));
  });

  it("shows the compiler a package.json per exports entry, pointing at the declarations", () => {
    const main = lookup(join(virtual, "package.json"));
    assert.equal(main?.kind, "file");
    assert.deepEqual(JSON.parse((main as { text: string }).text), { name: "tunebook", types: "./dist/index.d.ts" });
    const tracker = lookup(join(virtual, "tracker", "package.json"));
    assert.deepEqual(JSON.parse((tracker as { text: string }).text), { types: "../dist/tracker/index.d.ts" });
    assert.deepEqual(lookup(virtual), { kind: "dir" });
    assert.deepEqual(lookup(join(virtual, "tracker")), { kind: "dir" });
    for (const entry of ["tune", "learn"]) {
      const manifest = lookup(join(virtual, entry, "package.json"));
      assert.deepEqual(JSON.parse((manifest as { text: string }).text), { types: `../dist/${entry}/index.d.ts` });
    }
  });

  it("forwards compiled files and dependencies, and hides the TypeScript sources", () => {
    assert.deepEqual(lookup(join(virtual, "dist", "index.d.ts")), { kind: "real", path: join(root, "dist", "index.d.ts") });
    assert.deepEqual(lookup(join(virtual, "node_modules", "vega", "package.json")), {
      kind: "real",
      path: join(root, "node_modules", "vega", "package.json"),
    });
    assert.deepEqual(lookup(join(virtual, "index.ts")), { kind: "missing" });
    assert.deepEqual(lookup(join(virtual, "tune", "index.ts")), { kind: "missing" });
    assert.deepEqual(lookup(join(virtual, "tracker", "index.ts")), { kind: "missing" });
    assert.deepEqual(lookup(join(virtual, "index.d.ts")), { kind: "missing" });
  });

  it("maps a dependency the notebook folder lacks to the package's copy, and leaves the rest alone", () => {
    assert.deepEqual(lookup(join(notebookDir, "node_modules", "danfojs-node", "package.json")), {
      kind: "real",
      path: join(root, "node_modules", "danfojs-node", "package.json"),
    });
    assert.deepEqual(lookup(join(notebookDir, "node_modules", "@tensorflow", "tfjs", "package.json")), {
      kind: "real",
      path: join(root, "node_modules", "@tensorflow", "tfjs", "package.json"),
    });
    assert.equal(lookup(join(notebookDir, "node_modules", "no-such-package-here", "index.d.ts")), null);
    assert.equal(lookup(join(notebookDir, "node_modules", "@types", "node", "index.d.ts")), null);
    assert.equal(lookup(join(notebookDir, "src", "a.ts")), null);
  });

  it("prefers a dependency installed next to the notebook", () => {
    const local = mkdtempSync(join(tmpdir(), "tunebook-notebook-local-"));
    try {
      mkdirSync(join(local, "node_modules", "vega"), { recursive: true });
      const own = packageLookup(local, root, existsSync);
      assert.equal(own(join(local, "node_modules", "vega", "package.json")), null);
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });
});

describe("cell require", () => {
  const failing = (id: string) => {
    const error = new Error(`Cannot find module '${id}'\nRequire stack: -`) as Error & { code: string };
    error.code = "MODULE_NOT_FOUND";
    throw error;
  };

  it("answers tunebook and missing dependencies from the package, other errors unchanged", () => {
    const req = cellRequire(failing, root);
    assert.equal(typeof (req("tunebook") as { createStudy?: unknown }).createStudy, "function");
    assert.equal(typeof (req("tunebook/tracker") as object), "object");
    assert.equal(typeof (req("ml-matrix") as { Matrix?: unknown }).Matrix, "function");
    assert.throws(() => req("./local-file"), /Cannot find module '\.\/local-file'/);
    assert.throws(() => req("no-such-package-here"), /Cannot find module 'no-such-package-here'/);
  });

  it("keeps what the notebook's own require finds", () => {
    const req = cellRequire((id) => ({ own: id }), root);
    assert.deepEqual(req("ml-matrix"), { own: "ml-matrix" });
  });
});
