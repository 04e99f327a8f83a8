import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { show, ValueError } from "../core/errors.js";
import type { CreateStudyOptions } from "./create-study.js";
import type { Objective } from "./optimize.js";

/** An objective that worker processes load by themselves: a module path and its export. */
export interface ObjectiveModule {
  /** Path of the module (relative to the current directory), e.g. "./objective.ts". */
  module: string;
  /** The export holding the objective (default "objective", then the default export). */
  export?: string;
}

/** What an objective module may export besides the objective: defaults for the study. */
export type WorkerModuleStudyOptions = Pick<
  CreateStudyOptions,
  | "direction"
  | "directions"
  | "constraints"
  | "sampler"
  | "pruner"
  | "seed"
  | "retryFailedTrials"
  | "heartbeatSeconds"
  | "graceSeconds"
  | "experiment"
>;

/**
 * Imports an objective module: the objective from `exportName` (default `objective`,
 * then the default export) and the module's `studyOptions`, if any. TypeScript modules
 * load in plain Node too (the CLI, a script, worker processes), through tsx.
 */
export async function loadObjectiveModule(
  script: string,
  exportName?: string,
): Promise<{ objective: Objective; studyOptions: WorkerModuleStudyOptions }> {
  const path = resolve(script);
  if (!existsSync(path)) throw new ValueError(`The objective module ${show(script)} does not exist (resolved to ${path}).`);
  const typeScript = TYPESCRIPT.test(path);
  if (typeScript) await registerTypeScript();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const hint = typeScript ? commonJsHint(path) : null;
    if (hint === null) throw error;
    throw new ValueError(
      `The objective module ${show(script)} failed to load (${error instanceof Error ? error.message : String(error)}): ${hint}`,
    );
  }
  const names = exportName ? [exportName] : ["objective", "default"];
  const found = names.find((n) => typeof module[n] === "function");
  if (!found) {
    const exported = Object.keys(module).filter((k) => typeof module[k] === "function");
    const hint = typeScript ? commonJsHint(path) : null;
    throw new ValueError(
      `${show(script)} has no function export ${names.map((n) => show(n)).join(" or ")}; its function exports are ${exported.length ? exported.map((n) => show(n)).join(", ") : "none"}. ${hint ?? "Export the objective as `export function objective(trial) { ... }`."}`,
    );
  }
  return { objective: module[found] as Objective, studyOptions: (module.studyOptions ?? {}) as WorkerModuleStudyOptions };
}

const TYPESCRIPT = /\.(c|m)?tsx?$/;

let typeScriptHooks: Promise<unknown> | undefined;

/**
 * tsx's ES module hooks, registered once per process. Registered globally, not
 * namespaced (as `tsImport` would): the objective's own imports keep their URLs, so
 * it shares this process's tunebook, and the `TrialPruned` it throws is the one the
 * study recognises. CommonJS hooks are left out; they would compile every package
 * required after them.
 */
function registerTypeScript(): Promise<unknown> {
  typeScriptHooks ??= import("tsx/esm/api").then(({ register }) => register());
  return typeScriptHooks;
}

/**
 * Why a TypeScript module failed, when Node takes it for CommonJS (a .cts file, or a .ts
 * file without "type": "module" in the nearest package.json), and the fix; null otherwise.
 */
function commonJsHint(path: string): string | null {
  const renamed = `${basename(path, extname(path))}.mts`;
  const fix = `objective modules in TypeScript load as ES modules; rename it to ${renamed}`;
  if (/\.cts$/.test(path)) return `Node loads a .cts file as CommonJS, and ${fix}.`;
  if (/\.mts$/.test(path)) return null;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      if (packageType(manifest) === "module") return null;
      return `Node loads it as CommonJS, since ${manifest} has no "type": "module"; ${fix}, or add "type": "module" to ${manifest}.`;
    }
    if (dirname(dir) === dir) return `Node loads it as CommonJS, since no package.json above it says "type": "module"; ${fix}.`;
  }
}

function packageType(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type;
  } catch {
    return undefined;
  }
}
