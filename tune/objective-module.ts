import { existsSync } from "node:fs";
import { resolve } from "node:path";
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
  "direction" | "sampler" | "pruner" | "seed" | "retryFailedTrials" | "heartbeatSeconds" | "graceSeconds" | "experiment"
>;

/**
 * Imports an objective module: the objective from `exportName` (default `objective`,
 * then the default export) and the module's `studyOptions`, if any.
 */
export async function loadObjectiveModule(
  script: string,
  exportName?: string,
): Promise<{ objective: Objective; studyOptions: WorkerModuleStudyOptions }> {
  const path = resolve(script);
  if (!existsSync(path)) throw new ValueError(`The objective module ${show(script)} does not exist (resolved to ${path}).`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const names = exportName ? [exportName] : ["objective", "default"];
  const found = names.find((n) => typeof module[n] === "function");
  if (!found) {
    const exported = Object.keys(module).filter((k) => typeof module[k] === "function");
    throw new ValueError(
      `${show(script)} has no function export ${names.map((n) => show(n)).join(" or ")}; its function exports are ${exported.length ? exported.map((n) => show(n)).join(", ") : "none"}. Export the objective as \`export function objective(trial) { ... }\`.`,
    );
  }
  return { objective: module[found] as Objective, studyOptions: (module.studyOptions ?? {}) as WorkerModuleStudyOptions };
}
