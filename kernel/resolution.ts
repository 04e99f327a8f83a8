import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";

/**
 * Lets notebook cells `import ... from "tunebook"` (and from the packages tunebook
 * depends on, such as danfojs-node) in a notebook in any folder, with no
 * node_modules next to it: the package the kernel runs from answers those names.
 *
 * Two halves, one for each place a cell's imports are resolved:
 * - types: the cell's TypeScript compiler resolves with the classic node_modules
 *   lookup, which ignores package.json `exports`. `overlayPackages` shows it a
 *   virtual `<cwd>/node_modules/tunebook` whose package.json files point at the
 *   compiled declarations (one per `exports` entry), and maps a dependency missing
 *   from the notebook's folders to the package's own copy.
 * - values: `cellRequire` resolves `tunebook` and its subpaths through the package
 *   itself (a self-reference, which honours `exports`), and retries a bare name
 *   that cannot be found from the notebook's folder from the package's folder.
 */

/** The parts of TypeScript's `ts.sys` the overlay replaces. */
export interface CompilerSystem {
  fileExists(path: string): boolean;
  readFile(path: string, encoding?: string): string | undefined;
  directoryExists(path: string): boolean;
  realpath?(path: string): string;
}

const PACKAGE_NAME = "tunebook";

type Lookup = { kind: "real"; path: string } | { kind: "file"; text: string } | { kind: "dir" } | { kind: "missing" } | null;

/**
 * Patches `sys` in place (TypeScript reads files through it). Paths the overlay does
 * not know pass through unchanged.
 */
export function overlayPackages(sys: CompilerSystem, cwd: string, root: string): void {
  const original = {
    fileExists: sys.fileExists.bind(sys),
    readFile: sys.readFile.bind(sys),
    directoryExists: sys.directoryExists.bind(sys),
    realpath: sys.realpath?.bind(sys),
  };
  const lookup = packageLookup(cwd, root, original.directoryExists);
  sys.fileExists = (path) => {
    const found = lookup(path);
    if (found === null) return original.fileExists(path);
    return found.kind === "file" || (found.kind === "real" && original.fileExists(found.path));
  };
  sys.readFile = (path, encoding) => {
    const found = lookup(path);
    if (found === null) return original.readFile(path, encoding);
    if (found.kind === "file") return found.text;
    return found.kind === "real" ? original.readFile(found.path, encoding) : undefined;
  };
  sys.directoryExists = (path) => {
    const found = lookup(path);
    if (found === null) return original.directoryExists(path);
    return found.kind === "dir" || (found.kind === "real" && original.directoryExists(found.path));
  };
  // The real path makes the compiler see each declaration file once, under its real
  // name, so relative imports inside the package resolve from where the files are.
  sys.realpath = (path) => {
    const found = lookup(path);
    const target = found?.kind === "real" ? found.path : path;
    return original.realpath ? original.realpath(target) : target;
  };
}

/** Maps a path to what the overlay shows there, or null for paths it leaves alone. */
export function packageLookup(cwd: string, root: string, directoryExists: (path: string) => boolean): (path: string) => Lookup {
  const modules = join(cwd, "node_modules");
  const virtualRoot = join(modules, PACKAGE_NAME);
  const files = new Map<string, string>();
  const dirs = new Set<string>([virtualRoot]);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports?: Record<string, unknown> };
  for (const [key, target] of Object.entries(manifest.exports ?? {})) {
    const types = typeof target === "object" && target !== null ? (target as { types?: unknown }).types : undefined;
    if (typeof types !== "string") continue;
    const dir = join(virtualRoot, key);
    dirs.add(dir);
    const pointer = relative(dir, join(virtualRoot, types)).split(sep).join("/");
    files.set(
      join(dir, "package.json"),
      JSON.stringify({ name: key === "." ? PACKAGE_NAME : undefined, types: pointer.startsWith(".") ? pointer : `./${pointer}` }),
    );
  }
  const fromCwd = new Map<string, boolean>();
  const resolvableFromCwd = (name: string): boolean => {
    let known = fromCwd.get(name);
    if (known === undefined) {
      known = ancestors(cwd).some((dir) => directoryExists(join(dir, "node_modules", name)));
      fromCwd.set(name, known);
    }
    return known;
  };

  return (path) => {
    if (path === virtualRoot || path.startsWith(virtualRoot + sep)) {
      const text = files.get(path);
      if (text !== undefined) return { kind: "file", text };
      if (dirs.has(path)) return { kind: "dir" };
      const rel = relative(virtualRoot, path);
      const top = rel.split(sep)[0];
      // Only the compiled output and the dependencies: the TypeScript sources must not
      // be compiled into the notebook.
      return top === "dist" || top === "node_modules" ? { kind: "real", path: join(root, rel) } : { kind: "missing" };
    }
    if (!path.startsWith(modules + sep)) return null;
    const rel = relative(modules, path).split(sep);
    const name = rel[0].startsWith("@") && rel.length > 1 ? `${rel[0]}/${rel[1]}` : rel[0];
    if (rel[0] === "@types" || resolvableFromCwd(name)) return null;
    const real = join(root, "node_modules", ...rel);
    return existsSync(join(root, "node_modules", name)) ? { kind: "real", path: real } : null;
  };
}

function ancestors(dir: string): string[] {
  const out = [dir];
  for (let parent = dirname(dir); parent !== out[out.length - 1]; parent = dirname(parent)) out.push(parent);
  return out;
}

/** A module loader as cells call it: `require(id)`. */
export type CellRequire = (id: string) => unknown;

/**
 * Wraps the cells' `require`: `tunebook` comes from this package, and a bare name
 * not found from the notebook's folder is looked up from the package's folder.
 */
export function cellRequire(original: CellRequire, root: string): CellRequire {
  const fromPackage = createRequire(join(root, "package.json"));
  return new Proxy(original, {
    apply(target, thisArg, args: unknown[]) {
      const id = args[0];
      if (args.length !== 1 || typeof id !== "string") return Reflect.apply(target, thisArg, args);
      if (id === PACKAGE_NAME || id.startsWith(`${PACKAGE_NAME}/`)) return fromPackage(id);
      try {
        return Reflect.apply(target, thisArg, args);
      } catch (error) {
        if (!isBareName(id) || !isNotFound(error, id)) throw error;
        try {
          return fromPackage(id);
        } catch {
          throw error;
        }
      }
    },
  });
}

function isBareName(id: string): boolean {
  return !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("node:") && !/^[a-zA-Z]:[\\/]/.test(id);
}

function isNotFound(error: unknown, id: string): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === "MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.startsWith(`Cannot find module '${id}'`);
}
