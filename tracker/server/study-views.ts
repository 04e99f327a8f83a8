import { type ConstraintColumn, constraintColumns } from "../analysis/constraints.js";
import { isMultiObjective } from "../analysis/objectives.js";
import { type ParetoSummary, paretoSummary } from "../analysis/pareto-front.js";
import type { CachedStudy } from "./study-cache.js";

/** What several routes derive from a study's trials, once per study version. */

/** The Pareto front's summary of a study with several objectives; null with one. */
export function paretoOf(study: CachedStudy): ParetoSummary | null {
  if (!isMultiObjective(study.summary)) return null;
  return study.memoise("pareto", () => paretoSummary(study.trials, study.summary.directions));
}

/** The study's constraint columns (none when no trial has constraints). */
export function constraintColumnsOf(study: CachedStudy): ConstraintColumn[] {
  return study.memoise("constraint-columns", () => constraintColumns(study.trials));
}
