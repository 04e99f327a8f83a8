import type { StudySummary, TrialRecord } from "../../core/records.js";
import { studyChart } from "../../tracker/charts/study-charts.js";
import { studyImportance } from "../../tracker/charts/study-importance.js";
import type { Study } from "../../tune/study.js";
import { display, type MimeBundle } from "./output.js";
import { escapeHtml, type TableValue, tableBundle } from "./table.js";
import { vegaLiteBundle } from "./vega.js";

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
  if (!best)
    return { "text/plain": `${caption}\nNo COMPLETE trial yet.`, "text/html": `<p>${escapeHtml(caption)}<br>No COMPLETE trial yet.</p>` };
  const rows: TableValue[][] = [
    ["best value", best.value],
    ["best trial", best.number],
    ...Object.entries(best.params).map(([name, value]): TableValue[] => [name, value]),
  ];
  return tableBundle(["", "best trial"], rows, { caption, numeric: [false, false] });
}

/** The optimisation history chart, as the tracker UI composes it, drawn as a mime bundle. */
export async function historyBundle(summary: StudySummary, trials: readonly TrialRecord[]): Promise<MimeBundle> {
  return vegaLiteBundle(studyChart("history", summary, trials).spec);
}

/**
 * The hyperparameter importance chart (fANOVA), as the tracker UI composes it, with
 * its caveats under the chart's text; or, when importance cannot be assessed yet, a
 * line saying why instead of an empty chart.
 */
export async function importanceBundle(summary: StudySummary, trials: readonly TrialRecord[]): Promise<MimeBundle> {
  const importance = studyImportance(trials);
  if (!importance.result) return { "text/plain": `No importance chart for ${summary.name}: ${importance.note}` };
  const { spec, note } = studyChart("importance", summary, trials, { importance: () => importance });
  const bundle = await vegaLiteBundle(spec);
  return note ? { ...bundle, "text/plain": `${bundle["text/plain"]}\n${note}` } : bundle;
}

async function summaryAndBest(study: Study): Promise<{ summary: StudySummary; best: TrialRecord | null; trials: TrialRecord[] }> {
  const [summary, trials] = await Promise.all([study.summary(), study.trials()]);
  const best = summary.bestTrialNumber === null ? null : (trials.find((t) => t.number === summary.bestTrialNumber) ?? null);
  return { summary, best, trials };
}

/**
 * What a finished `tune` run shows: the best trial and the optimisation history.
 * Reads the study back from storage, so the summary is what the tracker holds.
 */
export async function showTuneSummary(study: Study): Promise<void> {
  const { summary, best, trials } = await summaryAndBest(study);
  display(bestTrialBundle(summary, best));
  if (best) display(await historyBundle(summary, trials));
}

/** What `show(study)` displays: the best trial, the optimisation history, the importance. */
export async function studyBundles(study: Study): Promise<MimeBundle[]> {
  const { summary, best, trials } = await summaryAndBest(study);
  if (!best) return [bestTrialBundle(summary, best)];
  return [bestTrialBundle(summary, best), await historyBundle(summary, trials), await importanceBundle(summary, trials)];
}
