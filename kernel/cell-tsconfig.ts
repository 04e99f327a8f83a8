import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as ts from "@tslab/typescript-for-tslab";
import type { Converter } from "tslab/dist/converter.js";
import type { ConverterSet, Executor } from "tslab/dist/executor.js";
import { closest, show, ValueError } from "../core/errors.js";

/**
 * The compiler options cells are checked and compiled with: tslab's own, then those
 * of the notebook folder's `tsconfig.json` (or the nearest parent's) that matter for
 * a cell, then what `%tsconfig {...}` lines set in this kernel.
 *
 * ```
 * %tsconfig {"strict": true, "noUncheckedIndexedAccess": true}
 * %tsconfig          (shows the options in force and where they come from)
 * %tsconfig reset    (back to the tsconfig.json's)
 * ```
 *
 * Only the options below are read; the rest (module, paths, outDir, ...) belong to
 * the project's build, and tslab's own stay in force for them.
 */
export const CELL_OPTION_NAMES = [
  "strict",
  "noImplicitAny",
  "strictNullChecks",
  "strictFunctionTypes",
  "strictBindCallApply",
  "strictPropertyInitialization",
  "noImplicitThis",
  "useUnknownInCatchVariables",
  "exactOptionalPropertyTypes",
  "noUncheckedIndexedAccess",
  "noImplicitReturns",
  "noImplicitOverride",
  "noFallthroughCasesInSwitch",
  "noPropertyAccessFromIndexSignature",
  "allowUnreachableCode",
  "allowUnusedLabels",
  "experimentalDecorators",
  "emitDecoratorMetadata",
  "useDefineForClassFields",
  "target",
  "lib",
  "jsx",
  "jsxFactory",
  "jsxFragmentFactory",
] as const;

type Compiler = typeof ts;

const MAGIC = /^%tsconfig(?:[ \t]+(.*))?$/;
/** Cells run as sloppy-mode functions (tslab drops "use strict"), so `strict` never turns `alwaysStrict` on. */
const ALWAYS = { alwaysStrict: false } as const;
/** ES2017: the first target with async functions, which cells with top-level await need. */
const LOWEST_TARGET = 4;

interface FileOptions {
  path: string;
  options: ts.CompilerOptions;
  problems: string[];
}

export class CellCompilerOptions {
  private readonly file: FileOptions | null;
  private fromMagic: ts.CompilerOptions = {};
  private warned = false;

  constructor(
    private readonly compiler: Compiler,
    cwd: string,
  ) {
    const path = nearestTsconfig(cwd);
    this.file = path === null ? null : readTsconfig(compiler, path);
  }

  /** What cells compile with, on top of tslab's options. */
  current(): ts.CompilerOptions {
    return { ...this.file?.options, ...this.fromMagic, ...ALWAYS };
  }

  /** Problems with the tsconfig.json, said once (the first cell shows them). */
  takeWarnings(): string[] {
    if (this.warned || !this.file) return [];
    this.warned = true;
    return this.file.problems;
  }

  /** Applies `%tsconfig <argument>`: a JSON object of options, or `reset`. Returns true when the options changed. */
  apply(argument: string): boolean {
    const before = JSON.stringify(this.current());
    if (argument === "reset") this.fromMagic = {};
    else this.fromMagic = { ...this.fromMagic, ...magicOptions(this.compiler, argument) };
    return JSON.stringify(this.current()) !== before;
  }

  /** The options in force and where each comes from, for `%tsconfig` alone. */
  describe(): string {
    const lines: string[] = [];
    const fileOptions = this.file?.options ?? {};
    const fromFile = Object.keys(fileOptions).filter((key) => !(key in this.fromMagic));
    const fromMagic = Object.keys(this.fromMagic);
    if (fromFile.length === 0 && fromMagic.length === 0) lines.push("Cells compile with tslab's options alone.");
    else lines.push(`Cells compile with ${JSON.stringify(readable(this.compiler, { ...fileOptions, ...this.fromMagic }))}`);
    if (this.file) lines.push(`  ${this.file.path}: ${fromFile.length ? fromFile.join(", ") : "nothing that applies to cells"}`);
    else lines.push("  (no tsconfig.json in the notebook's folder or above it)");
    if (fromMagic.length) lines.push(`  %tsconfig: ${fromMagic.join(", ")}`);
    return lines.join("\n");
  }
}

/** The nearest tsconfig.json from `dir` up, or null. */
export function nearestTsconfig(dir: string): string | null {
  for (let at = dir; ; at = dirname(at)) {
    const path = join(at, "tsconfig.json");
    if (existsSync(path)) return path;
    if (dirname(at) === at) return null;
  }
}

/** The options of a tsconfig.json (its `extends` followed) that apply to cells. */
export function readTsconfig(compiler: Compiler, path: string): FileOptions {
  const problems: string[] = [];
  const read = compiler.readConfigFile(path, compiler.sys.readFile);
  if (read.error) {
    problems.push(`${path}: ${message(compiler, read.error)} Cells compile without its options.`);
    return { path, options: {}, problems };
  }
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: compiler.sys.useCaseSensitiveFileNames,
    // Only the options are read, not the project's files.
    readDirectory: () => [],
    fileExists: compiler.sys.fileExists,
    readFile: compiler.sys.readFile,
  };
  const parsed = compiler.parseJsonConfigFileContent(read.config, host, dirname(path), undefined, path);
  // 18003: "No inputs were found", as no files are listed on purpose.
  for (const error of parsed.errors) if (error.code !== 18003) problems.push(`${path}: ${message(compiler, error)}`);
  const options = pick(parsed.options);
  const low = lowTarget(compiler, options);
  if (low) {
    problems.push(`${path}: target ${low} is ignored for cells (they need ES2017 or later); cells keep tslab's target.`);
    delete options.target;
  }
  return { path, options, problems };
}

/** The options of `%tsconfig {...}`, checked: known names, values TypeScript accepts. */
export function magicOptions(compiler: Compiler, argument: string): ts.CompilerOptions {
  const example = '%tsconfig {"strict": true}';
  let json: unknown;
  try {
    json = JSON.parse(argument);
  } catch {
    throw new ValueError(`%tsconfig takes a JSON object of compiler options (${example}) or reset, got ${show(argument)}.`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ValueError(`%tsconfig takes a JSON object of compiler options (${example}), got ${show(argument)}.`);
  }
  for (const key of Object.keys(json)) {
    if ((CELL_OPTION_NAMES as readonly string[]).includes(key)) continue;
    const hint = closest(key, CELL_OPTION_NAMES);
    throw new ValueError(
      `%tsconfig: ${show(key)} is not an option cells take.${hint ? ` Did you mean ${show(hint)}?` : ""} Options: ${CELL_OPTION_NAMES.join(", ")}.`,
    );
  }
  const converted = compiler.convertCompilerOptionsFromJson(json, process.cwd());
  if (converted.errors.length) throw new ValueError(`%tsconfig: ${converted.errors.map((e) => message(compiler, e)).join(" ")}`);
  const options = pick(converted.options);
  const low = lowTarget(compiler, options);
  if (low) throw new ValueError(`%tsconfig: cells need target ES2017 or later (they use async functions), got ${show(low)}.`);
  return options;
}

/** The `%tsconfig` lines at the top of a cell, and the cell with them blanked (same lines, same length). */
export function tsconfigMagic(source: string): { arguments: string[]; code: string } | null {
  const lines = source.split("\n");
  const args: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = MAGIC.exec(lines[i].trimEnd());
    if (!match) break;
    args.push((match[1] ?? "").trim());
    lines[i] = " ".repeat(lines[i].length);
  }
  return args.length ? { arguments: args, code: lines.join("\n") } : null;
}

/** A cell with its `%tsconfig` lines blanked, for completion and inspection (positions unchanged). */
export function withoutTsconfigMagic(source: string): string {
  return tsconfigMagic(source)?.code ?? source;
}

/**
 * Runs `%tsconfig` lines before the rest of the cell: each changes the options (and
 * the compiler is rebuilt with them, keeping what earlier cells declared); alone,
 * `%tsconfig` shows the options. A bad line is an error before anything runs.
 */
export function withTsconfigMagic(executor: Executor, options: CellCompilerOptions, rebuild: () => void): void {
  const execute = executor.execute.bind(executor);
  executor.execute = async (source: string) => {
    for (const warning of options.takeWarnings()) console.error(warning);
    const magic = tsconfigMagic(source);
    if (!magic) return execute(source);
    let changed = false;
    try {
      for (const argument of magic.arguments) {
        if (argument === "") console.log(options.describe());
        else changed = options.apply(argument) || changed;
      }
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      console.error(`${error.name}: ${error.message}`);
      return false;
    }
    if (changed) rebuild();
    return magic.code.trim() === "" ? true : execute(magic.code);
  };
}

/**
 * tslab's compiler module with each converter it creates compiling cells with
 * `options()` on top of tslab's own. tslab's modules load it by name, so it takes
 * the module's place in the require cache before they are loaded.
 */
export function compileCellsWith(tslabRequire: NodeJS.Require, options: () => ts.CompilerOptions): void {
  const path = tslabRequire.resolve("@tslab/typescript-for-tslab");
  const compiler = tslabRequire(path) as Compiler;
  const entry = tslabRequire.cache[path];
  if (!entry) throw new Error(`the TypeScript compiler tslab uses (${path}) is not in the require cache`);
  const { createWatchCompilerHost: _, ...descriptors } = Object.getOwnPropertyDescriptors(compiler);
  const wrapped = Object.defineProperties({}, descriptors) as Compiler;
  const create = compiler.createWatchCompilerHost as (...args: unknown[]) => unknown;
  Object.defineProperty(wrapped, "createWatchCompilerHost", {
    enumerable: true,
    value: (...args: unknown[]) => {
      // tslab's form: (rootFiles, options, system, ...).
      if (Array.isArray(args[0])) args[1] = { ...(args[1] as ts.CompilerOptions), ...options() };
      return create(...args);
    },
  });
  entry.exports = wrapped;
}

/**
 * Converters that `rebuild()` replaces with new ones (new options take effect only
 * in a new compiler); modules defined by cells (`@module`) are defined again in them.
 */
export function rebuildableConverters(make: () => ConverterSet): ConverterSet & { rebuild(): void } {
  let current = make();
  const modules = {
    node: new Map<string, Parameters<Converter["addModule"]>>(),
    browser: new Map<string, Parameters<Converter["addModule"]>>(),
  };
  const prepared = new WeakSet<Converter>();
  const get = (kind: "node" | "browser"): Converter => {
    const converter = current[kind];
    if (!prepared.has(converter)) {
      prepared.add(converter);
      for (const args of modules[kind].values()) converter.addModule(...args);
      const add = converter.addModule.bind(converter);
      converter.addModule = (...args) => {
        modules[kind].set(args[0], args);
        return add(...args);
      };
    }
    return converter;
  };
  return {
    get node() {
      return get("node");
    },
    get browser() {
      return get("browser");
    },
    close() {
      current.close();
    },
    rebuild() {
      current.close();
      current = make();
    },
  };
}

function pick(all: ts.CompilerOptions): ts.CompilerOptions {
  const options: ts.CompilerOptions = {};
  for (const name of CELL_OPTION_NAMES) if (all[name] !== undefined) options[name] = all[name] as never;
  return options;
}

function lowTarget(compiler: Compiler, options: ts.CompilerOptions): string | null {
  if (options.target === undefined || options.target >= LOWEST_TARGET) return null;
  return compiler.ScriptTarget[options.target];
}

/** Options as a tsconfig.json spells them. */
function readable(compiler: Compiler, options: ts.CompilerOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  if (options.target !== undefined) out.target = compiler.ScriptTarget[options.target];
  if (options.jsx !== undefined) out.jsx = compiler.JsxEmit[options.jsx];
  if (options.lib) out.lib = options.lib.map((lib) => lib.replace(/^lib\./, "").replace(/\.d\.ts$/, ""));
  return out;
}

function message(compiler: Compiler, diagnostic: ts.Diagnostic): string {
  return compiler.flattenDiagnosticMessageText(diagnostic.messageText, " ");
}
