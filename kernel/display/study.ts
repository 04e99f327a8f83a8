import type { StudySummary, TrialRecord } from "../../core/records.js";
import type { Study } from "../tune/study.js";
import { display, type MimeBundle } from "./output.js";
import type { ProgressState } from "./progress.js";
import { escapeHtml, tableBundle, type TableValue } from "./table.js";

/** The study in one table: counts, the best trial's value and parameters. */
export function bestTrialBundle(summary: StudySummary, best: TrialRecord | null): MimeBundle {
  const counts = summary.counts;
  const total = counts.COMPLETE + counts.PRUNED + counts.FAIL + counts.RUNNING + counts.WAITING;
  const breakdown = (["COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s.toLowerCase()}`)
    .join(", ");
  const caption =
    `Study ${summary.name} (${summary.direction}${summary.experiment ? `, experiment ${summary.experiment}` : ""}): ` +
    `${total} trial${total === 1 ? "" : "s"}${breakdown ? ` — ${breakdown}` : ""}`;
  if (!best) return { "text/plain": `${caption}\nNo COMPLETE trial yet.`, "text/html": `<p>${escapeHtml(caption)}<br>No COMPLETE trial yet.</p>` };
  const rows: TableValue[][] = [
    ["best value", best.value],
    ["best trial", best.number],
    ...Object.entries(best.params).map(([name, value]): TableValue[] => [name, value]),
  ];
  return tableBundle(["", "best trial"], rows, { caption, numeric: [false, false] });
}

/**
 * What a finished `tune` run shows: the best trial and the optimisation history.
 * Reads the study back from storage, so the summary is what the tracker holds.
 */
export async function showTuneSummary(study: Study, _progress: ProgressState | null): Promise<void> {
  const summary = await study.summary();
  const best = summary.bestTrialNumber === null ? null : await study.best();
  display(bestTrialBundle(summary, best));
}

/** What `show(study)` displays. */
export async function studyBundles(study: Study): Promise<MimeBundle[]> {
  const summary = await study.summary();
  const best = summary.bestTrialNumber === null ? null : await study.best();
  return [bestTrialBundle(summary, best)];
}
