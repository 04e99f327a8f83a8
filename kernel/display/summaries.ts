import type { StudySummary } from "../../core/records.js";
import { describeDistribution } from "../../core/records.js";
import type { RefinedSpace } from "../../tracker/analysis/refine.js";
import { lockboxRecord, testSetUses } from "../../tune/test-set-record.js";
import type { MimeBundle } from "./output.js";
import { escapeHtml, formatValue, tableBundle } from "./table.js";

/** True for an array of study summaries (as `listStudies()` returns). */
export function isStudySummaryList(value: unknown): value is StudySummary[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (s) =>
        s !== null &&
        typeof s === "object" &&
        typeof s.studyId === "number" &&
        typeof s.name === "string" &&
        typeof s.counts === "object" &&
        "bestValue" in s,
    )
  );
}

/**
 * Studies as the tracker lists them: experiment, name, direction (every objective's, for a
 * study with several, whose best is its Pareto front: `show(study)` draws it), counts,
 * best value, last activity; and how often its locked test set was used, when a study has one.
 */
export function studyListBundle(studies: readonly StudySummary[]): MimeBundle {
  const testSets = studies.map((s) => lockboxRecord(s.systemAttrs ?? {}));
  const withTestSet = testSets.some((r) => r !== null);
  const testSetCells = testSets.map((r) => (r === null ? "" : testSetUses(r)));
  const rows = studies.map((s, i) => [
    s.experiment ?? "",
    s.name,
    (s.directions ?? [s.direction]).join(", "),
    s.counts.COMPLETE,
    s.counts.PRUNED,
    s.counts.FAIL,
    s.counts.RUNNING,
    s.bestValue,
    s.lastActivity ? s.lastActivity.toISOString().replace("T", " ").slice(0, 19) : "",
    ...(withTestSet ? [testSetCells[i]] : []),
  ]);
  const columns = ["experiment", "study", "direction", "complete", "pruned", "fail", "running", "best", "last activity"];
  return tableBundle(withTestSet ? [...columns, "test set"] : columns, rows, {
    caption: `${studies.length} stud${studies.length === 1 ? "y" : "ies"}`,
  });
}

/** True for the result of `refineSearchSpace`. */
export function isRefinedSpace(value: unknown): value is RefinedSpace {
  if (value === null || typeof value !== "object") return false;
  const v = value as Partial<RefinedSpace>;
  return Array.isArray(v.params) && typeof v.code === "string" && typeof v.nTop === "number" && typeof v.distributions === "object";
}

/** A narrowed search space: each parameter's range before and after, and the code to paste. */
export function refinedSpaceBundle(space: RefinedSpace): MimeBundle {
  const caption = `Search space narrowed to the ${space.nTop} best of ${space.nComplete} complete trials (values ${space.direction === "maximize" ? "≥" : "≤"} ${formatValue(space.threshold)})`;
  const table = tableBundle(
    ["parameter", "before", "after", "top trials"],
    space.params.map((p) => [
      p.name,
      describeDistribution(p.original),
      p.changed ? describeDistribution(p.refined) : `unchanged${p.note ? ` (${p.note})` : ""}`,
      p.support,
    ]),
    { caption },
  );
  return {
    "text/plain": `${table["text/plain"]}\n\n${space.code}`,
    "text/html": `${table["text/html"]}\n<pre>${escapeHtml(space.code)}</pre>`,
  };
}
