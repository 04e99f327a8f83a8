import { ValueError } from "../../core/errors.js";
import type { StudySummary, TrialRecord } from "../../core/records.js";
import { paramImportances } from "../../tracker/analysis/importance.js";
import { completedWithValue, downsample } from "../../tracker/analysis/summaries.js";
import { historyData, historySpec } from "../../tracker/charts/history.js";
import { importanceData, importanceSpec } from "../../tracker/charts/importance.js";
import type { Study } from "../../tune/study.js";
import { display, type MimeBundle } from "./output.js";
import { escapeHtml, type TableValue, tableBundle } from "./table.js";
import { vegaLiteBundle } from "./vega.js";

/**
 * fANOVA is fitted on at most this many COMPLETE trials (evenly spread): beyond a
 * few thousand, more trials barely move the importances but cost seconds.
 */
const IMPORTANCE_MAX_TRIALS = 2000;

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

/** The optimisation history chart (tracker/charts), drawn as a mime bundle. */
export function historyBundle(summary: StudySummary, trials: readonly TrialRecord[]): Promise<MimeBundle> {
  return vegaLiteBundle(historySpec(historyData(trials, summary.direction), { direction: summary.direction, study: summary.name }));
}

/**
 * The hyperparameter importance chart (fANOVA), or a line saying why there is none
 * (too few COMPLETE trials, or a single parameter).
 */
export async function importanceBundle(summary: StudySummary, trials: readonly TrialRecord[]): Promise<MimeBundle> {
  const complete = completedWithValue(trials);
  try {
    const result = paramImportances(downsample(complete, IMPORTANCE_MAX_TRIALS));
    const bundle = await vegaLiteBundle(importanceSpec(importanceData(result), { study: summary.name }));
    const notes = [
      result.skipped.length ? `Not assessed: ${result.skipped.map((p) => `${p.name} (${p.reason})`).join("; ")}.` : "",
      result.warning ?? "",
    ].filter(Boolean);
    return notes.length ? { ...bundle, "text/plain": `${bundle["text/plain"]}\n${notes.join(" ")}` } : bundle;
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    return { "text/plain": `No importance chart for ${summary.name}: ${error.message}` };
  }
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
