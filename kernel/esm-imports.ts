import { existsSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type * as ts from "@tslab/typescript-for-tslab";
import type { Executor } from "tslab/dist/executor.js";
import type { CellRequire, CompilerSystem } from "./resolution.js";

/**
 * Cells importing ES-module-only packages. tslab compiles a cell to CommonJS, so each
 * `import` becomes `require()`, which cannot load a package that exports only an
 * `import` entry or awaits at its top level. Before a cell runs, the packages it
 * imports whose entry for `import` is an ES module, and for which `require` would
 * load the same file or nothing, are loaded with `import()`; the cell's `require`
 * then returns that module (default export as `default`, as TypeScript's interop
 * expects). Packages with a CommonJS `require` entry are left to `require`.
 *
 * For the compiler (which resolves like Node 10 and ignores `exports`), an ESM
 * package without a top-level `types` field shows the `types` and entry its
 * `exports` give for `.`.
 */

/** The conditions Node (20.19 and later) matches for `import` and for `require`. */
export const IMPORT_CONDITIONS: readonly string[] = ["node", "import", "module-sync", "default"];
export const REQUIRE_CONDITIONS: readonly string[] = ["node", "require", "module-sync", "default"];
const TYPES_CONDITIONS: readonly string[] = ["types", ...IMPORT_CONDITIONS];

/** The parts of the compiler the import scan uses. */
export type ImportScanner = Pick<typeof ts, "preProcessFile">;

interface Manifest {
  type?: string;
  main?: string;
  types?: string;
  typings?: string;
  exports?: unknown;
}

/** Bare package names a cell imports (statically, or with `import()`), as written. */
export function importedPackages(scanner: ImportScanner, code: string): string[] {
  const { importedFiles } = scanner.preProcessFile(code, true, true);
  return [...new Set(importedFiles.map((file) => file.fileName).filter(isPackageName))];
}

function isPackageName(id: string): boolean {
  return !id.startsWith(".") && !id.startsWith("/") && !/^[a-zA-Z]:[\\/]/.test(id) && !id.startsWith("node:") && !isBuiltin(id);
}

/**
 * The file `import(id)` loads, when it is an ES module and `require(id)` would load
 * the same file or nothing; null otherwise (or when the package is not found). The
 * package is looked up from each of `dirs` and their parents, in order.
 */
export function esmOnlyEntry(id: string, dirs: readonly string[]): string | null {
  const { name, subpath } = splitPackageName(id);
  const dir = findPackage(name, dirs);
  if (!dir) return null;
  const manifest = readManifest(join(dir, "package.json"));
  if (!manifest) return null;
  const entry = (conditions: readonly string[]): string | null => {
    if (manifest.exports === undefined) return subpath === "." ? (manifest.main ?? "index.js") : subpath;
    return resolveExports(manifest.exports, subpath, conditions);
  };
  const forImport = entry(IMPORT_CONDITIONS);
  if (forImport === null) return null;
  const file = join(dir, forImport);
  if (!isEsModule(file, dir)) return null;
  const forRequire = entry(REQUIRE_CONDITIONS);
  return forRequire === null || join(dir, forRequire) === file ? file : null;
}

/** Node's `exports` resolution for one subpath ("." or "./x") under `conditions`, as a path in the package; null when none. */
export function resolveExports(exports: unknown, subpath: string, conditions: readonly string[]): string | null {
  const isSubpathMap = isObject(exports) && Object.keys(exports).some((key) => key.startsWith("."));
  if (!isSubpathMap) return subpath === "." ? resolveTarget(exports, conditions, null) : null;
  const map = exports as Record<string, unknown>;
  if (Object.hasOwn(map, subpath) && !subpath.includes("*")) return resolveTarget(map[subpath], conditions, null);
  let best: { key: string; match: string } | null = null;
  for (const key of Object.keys(map)) {
    const star = key.indexOf("*");
    if (star < 0 || key.indexOf("*", star + 1) >= 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (!subpath.startsWith(prefix) || !subpath.endsWith(suffix) || subpath.length < key.length - 1) continue;
    if (best === null || prefix.length > best.key.indexOf("*"))
      best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
  }
  return best ? resolveTarget(map[best.key], conditions, best.match) : null;
}

function resolveTarget(target: unknown, conditions: readonly string[], match: string | null): string | null {
  if (typeof target === "string") return match === null ? target : target.replaceAll("*", match);
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = resolveTarget(item, conditions, match);
      if (found !== null) return found;
    }
    return null;
  }
  if (!isObject(target)) return null;
  for (const [condition, value] of Object.entries(target)) {
    if (!conditions.includes(condition)) continue;
    const found = resolveTarget(value, conditions, match);
    if (found !== null) return found;
  }
  return null;
}

/** ES-module-only packages loaded ahead of the cells that import them, and the `require` that returns them. */
export class EsmImports {
  private readonly loaded = new Map<string, { module: unknown } | { error: unknown }>();

  /** `dirs`: where packages are looked up (the notebook's folder, then the kernel's package). */
  constructor(
    private readonly scanner: ImportScanner,
    private readonly dirs: readonly string[],
    /** Names served elsewhere (tunebook itself), never loaded here. */
    private readonly skip: (id: string) => boolean,
  ) {}

  /** Loads the ES-module-only packages `code` imports; a failure is kept for the cell's `require` to throw. */
  async prepare(code: string): Promise<void> {
    for (const id of importedPackages(this.scanner, code)) {
      if (this.loaded.has(id) || this.skip(id)) continue;
      const file = esmOnlyEntry(id, this.dirs);
      if (file === null) continue;
      try {
        this.loaded.set(id, { module: interop(await import(pathToFileURL(file).href)) });
      } catch (error) {
        this.loaded.set(id, { error });
      }
    }
  }

  /** Wraps the cells' `require`: a name loaded here returns its module (or throws its load error). */
  require(original: CellRequire): CellRequire {
    const loaded = this.loaded;
    return new Proxy(original, {
      apply(target, thisArg, args: unknown[]) {
        const found = args.length === 1 && typeof args[0] === "string" ? loaded.get(args[0]) : undefined;
        if (!found) return Reflect.apply(target, thisArg, args);
        if ("error" in found) throw found.error;
        return found.module;
      },
    });
  }

  /** Makes the executor load a cell's ES-module-only imports before running it. */
  preloadFor(executor: Executor): void {
    const execute = executor.execute.bind(executor);
    executor.execute = async (code: string) => {
      await this.prepare(code);
      return execute(code);
    };
  }
}

/**
 * A module namespace as compiled CommonJS reads it: marked `__esModule`, so a default
 * import gets the default export (not the namespace). Bindings stay live.
 */
function interop(namespace: Record<string, unknown>): unknown {
  if ("__esModule" in namespace) return namespace;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(namespace)) Object.defineProperty(out, key, { enumerable: true, get: () => namespace[key] });
  Object.defineProperty(out, "__esModule", { value: true });
  return out;
}

/**
 * Patches `sys` (after `overlayPackages`) so the compiler finds an ESM package's
 * types and entry through `exports` when its package.json has no top-level `types`.
 */
export function overlayEsmTypes(sys: CompilerSystem): void {
  const readFile = sys.readFile.bind(sys);
  sys.readFile = (path, encoding) => {
    const text = readFile(path, encoding);
    if (text === undefined || !isPackageManifest(path)) return text;
    return withTypesFromExports(text, dirname(path), sys.fileExists.bind(sys)) ?? text;
  };
}

function isPackageManifest(path: string): boolean {
  const parts = path.split(sep);
  return parts.at(-1) === "package.json" && parts.lastIndexOf("node_modules") >= 0;
}

/** The package.json text with `types` (and `main`) filled in from `exports`, or null to leave it as it is. */
export function withTypesFromExports(text: string, dir: string, fileExists: (path: string) => boolean): string | null {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    return null;
  }
  if (manifest.type !== "module" || manifest.exports === undefined || manifest.types || manifest.typings) return null;
  const entry = resolveExports(manifest.exports, ".", IMPORT_CONDITIONS);
  let types = resolveExports(manifest.exports, ".", TYPES_CONDITIONS);
  if (types !== null && !/\.d\.[mc]?ts$/.test(types)) {
    const sibling = types.replace(/\.[mc]?js$/, ".d.ts");
    types = sibling !== types && fileExists(join(dir, sibling)) ? sibling : null;
  }
  if (types === null && entry === null) return null;
  return JSON.stringify({ ...manifest, ...(types ? { types } : {}), ...(manifest.main || entry === null ? {} : { main: entry }) });
}

function splitPackageName(id: string): { name: string; subpath: string } {
  const parts = id.split("/");
  const length = id.startsWith("@") ? 2 : 1;
  const rest = parts.slice(length).join("/");
  return { name: parts.slice(0, length).join("/"), subpath: rest ? `./${rest}` : "." };
}

function findPackage(name: string, dirs: readonly string[]): string | null {
  for (const start of dirs) {
    for (let at = start; ; at = dirname(at)) {
      const dir = join(at, "node_modules", name);
      if (existsSync(join(dir, "package.json"))) return dir;
      if (dirname(at) === at) break;
    }
  }
  return null;
}

function readManifest(path: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch {
    return null;
  }
}

/** Whether Node loads `file` as an ES module: `.mjs`, or `.js` under a package.json with `"type": "module"`. */
function isEsModule(file: string, packageDir: string): boolean {
  if (file.endsWith(".mjs")) return true;
  if (!file.endsWith(".js")) return false;
  for (let at = dirname(file); ; at = dirname(at)) {
    const manifest = existsSync(join(at, "package.json")) ? readManifest(join(at, "package.json")) : null;
    if (manifest) return manifest.type === "module";
    if (at === packageDir || relative(packageDir, at).startsWith("..") || dirname(at) === at) return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
