/**
 * The layers' import rules, checked on the sources: dependencies point one way
 * (core ← learn, tune ← select, tracker ← kernel, cli), the engine reaches storage only
 * through the Storage interface and its one factory, and no module takes part in an
 * import cycle that runs when modules load.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LAYERS = ["core", "learn", "tune", "select", "tracker", "kernel", "cli"] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import, besides itself. */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: [],
  learn: ["core"],
  tune: ["core"],
  select: ["core", "learn", "tune"],
  tracker: ["core", "learn", "tune"],
  kernel: ["core", "learn", "tune", "select", "tracker"],
  cli: ["core", "learn", "tune", "select", "tracker", "kernel"],
};

/** The engine's only doors into the tracker: the Storage interface and the factory that opens one from a URL. */
const TUNE_MAY_REACH = new Set(["tracker/storage/storage.ts", "tracker/storage/open.ts"]);

interface Edge {
  from: string;
  to: string;
  /** False for `import type` / `export type`, which vanish at run time. */
  runtime: boolean;
  /** `import(...)`: loaded when called, not when the module loads. */
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const edges: Edge[] = [];
  const add = (specifier: ts.Expression | undefined, runtime: boolean, dynamic: boolean) => {
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) return;
    const to = relative(ROOT, resolve(ROOT, dirname(file), specifier.text)).replace(/\.js$/, ".ts");
    edges.push({ from: file, to, runtime, dynamic });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, !node.importClause?.isTypeOnly, false);
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, !node.isTypeOnly, false);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], true, true);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, false, false);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const layerOf = (file: string): Layer | undefined => LAYERS.find((layer) => file.startsWith(`${layer}/`));

const files = [...LAYERS.flatMap((layer) => sourceFiles(layer)), "index.ts"];
const edges = files.flatMap(importsOf);

describe("architecture", () => {
  it("every import points down the layers", () => {
    const wrong = edges.filter((edge) => {
      const from = layerOf(edge.from);
      const to = layerOf(edge.to);
      if (!from || !to || from === to) return false;
      if (from === "tune" && to === "tracker") return !TUNE_MAY_REACH.has(edge.to);
      return !MAY_IMPORT[from].includes(to);
    });
    assert.deepEqual(
      wrong.map((e) => `${e.from} → ${e.to}`),
      [],
    );
  });

  it("the page scripts import only types from the server and core", () => {
    const pages = edges.filter((e) => e.from.startsWith("tracker/server/public/") && !e.to.startsWith("tracker/server/public/"));
    assert.deepEqual(
      pages.filter((e) => e.runtime).map((e) => `${e.from} → ${e.to}`),
      [],
    );
  });

  it("no import cycle runs when modules load", () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) if (e.runtime && !e.dynamic) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    assert.deepEqual(cycles(graph), []);
  });

  it("no import cycle runs through a lazy import either", () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) if (e.runtime) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    assert.deepEqual(cycles(graph), []);
  });

  it("sees the imports it checks", () => {
    // Guards the checks above against passing because the parser found nothing.
    assert.ok(files.length > 150, `${files.length} source files`);
    assert.ok(edges.some((e) => e.from === "tune/study.ts" && e.to === "tracker/storage/storage.ts" && !e.runtime));
    assert.ok(edges.some((e) => e.from === "tune/storage.ts" && e.to === "tracker/storage/open.ts" && e.dynamic));
  });
});

/** Strongly connected components of more than one module (Tarjan), each listed from its first file. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}
