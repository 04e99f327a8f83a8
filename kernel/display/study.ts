import type { StudySummary, TrialRecord } from "../../core/records.js";
import { isMultiObjective, objectiveTitles, trialsForObjective } from "../../tracker/analysis/objectives.js";
import { paretoSummary } from "../../tracker/analysis/pareto-front.js";
import type { ChartSpec } from "../../tracker/charts/common.js";
import { chartApplies, kindsFor, type StudyChartKind, studyChart } from "../../tracker/charts/study-charts.js";
import { type StudyImportance, studyImportance } from "../../tracker/charts/study-importance.js";
import type { Study } from "../../tune/study.js";
import { describeTestSet, lockboxRecord } from "../../tune/test-set-record.js";
import { withNotes } from "./notes.js";
import { display, type MimeBundle } from "./output.js";
import { escapeHtml, formatValue, type TableValue, tableBundle } from "./table.js";
import { vegaLiteBundle } from "./vega.js";

function studyCaption(summary: StudySummary): string {
  const counts = summary.counts;
  const total = counts.COMPLETE + counts.PRUNED + counts.FAIL + counts.RUNNING + counts.WAITING;
  const breakdown = (["COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s.toLowerCase()}`)
    .join(", ");
  const directions = isMultiObjective(summary) ? objectiveTitles(summary).join(", ") : summary.direction;
  return (
    `Study ${summary.name} (${directions}${summary.experiment ? `, experiment ${summary.experiment}` : ""}): ` +
    `${total} trial${total === 1 ? "" : "s"}${breakdown ? ` — ${breakdown}` : ""}`
  );
}

/** The study in one table: counts, the best trial's value and parameters. */
export function bestTrialBundle(summary: StudySummary, best: TrialRecord | null): MimeBundle {
  const caption = studyCaption(summary);
  if (!best)
    return { "text/plain": `${caption}\nNo COMPLETE trial yet.`, "text/html": `<p>${escapeHtml(caption)}<br>No COMPLETE trial yet.</p>` };
  const rows: TableValue[][] = [
    ["best value", best.value],
    ["best trial", best.number],
    ...Object.entries(best.params).map(([name, value]): TableValue[] => [name, value]),
    ...testSetRows(summary),
  ];
  return tableBundle(["", "best trial"], rows, { caption, numeric: [false, false] });
}

/** "test set" and how often it was used, for a study with a locked test set. */
function testSetRows(summary: StudySummary): TableValue[][] {
  const record = lockboxRecord(summary.systemAttrs);
  return record === null ? [] : [["test set", describeTestSet(record, (v) => formatValue(v))]];
}

/** Front trials listed at most (in trial order). */
const FRONT_ROWS = 20;

/**
 * A study with several objectives in one table: counts, the Pareto front's size and
 * hypervolume (with its reference point), and the front's trials with their values,
 * constraints and parameters.
 */
export function paretoFrontBundle(summary: StudySummary, trials: readonly TrialRecord[]): MimeBundle {
  const pareto = paretoSummary(trials, summary.directions);
  const titles = objectiveTitles(summary);
  const size = pareto.frontTrialNumbers.length;
  const hv =
    pareto.hypervolume === null || pareto.referencePoint === null
      ? ""
      : `; hypervolume ${formatValue(pareto.hypervolume)} from the reference point (${pareto.referencePoint.map((v) => formatValue(v)).join(", ")})`;
  const infeasible = pareto.infeasible
    ? `; ${pareto.infeasible} of ${pareto.feasible + pareto.infeasible} completed trials infeasible`
    : "";
  const testSet = lockboxRecord(summary.systemAttrs);
  const used = testSet === null ? "" : `; test set ${describeTestSet(testSet, (v) => formatValue(v))}`;
  const caption = `${studyCaption(summary)}. Pareto front: ${size} trial${size === 1 ? "" : "s"}${hv}${infeasible}${used}`;
  if (size === 0)
    return {
      "text/plain": `${caption}\nNo feasible COMPLETE trial yet.`,
      "text/html": `<p>${escapeHtml(caption)}<br>No feasible COMPLETE trial yet.</p>`,
    };
  const byNumber = new Map(trials.map((t) => [t.number, t]));
  const front = pareto.frontTrialNumbers.slice(0, FRONT_ROWS).map((n) => byNumber.get(n)!);
  const params = [...new Set(front.flatMap((t) => Object.keys(t.params)))];
  const rows = front.map((t): TableValue[] => [
    t.number,
    ...titles.map((_, i) => t.values?.[i] ?? null),
    ...params.map((p) => (Object.hasOwn(t.params, p) ? t.params[p] : undefined)),
  ]);
  const more = size > FRONT_ROWS ? ` (first ${FRONT_ROWS} shown)` : "";
  return tableBundle(["trial", ...titles, ...params], rows, { caption: caption + more });
}

/** A chart as a bundle, its caveat (if any) under the text. */
async function chartWithNote(spec: ChartSpec, note: string | undefined): Promise<MimeBundle> {
  const bundle = await vegaLiteBundle(spec);
  return note ? { ...bundle, "text/plain": `${bundle["text/plain"]}\n${note}` } : bundle;
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
  return chartWithNote(spec, note);
}

async function summaryAndBest(study: Study): Promise<{ summary: StudySummary; best: TrialRecord | null; trials: TrialRecord[] }> {
  const [summary, trials] = await Promise.all([study.summary(), study.trials()]);
  const best = summary.bestTrialNumber === null ? null : (trials.find((t) => t.number === summary.bestTrialNumber) ?? null);
  return { summary, best, trials };
}

/**
 * The charts `show(study)` draws after the table of a study with several objectives, of
 * those it offers (`kindsFor`, as the tracker UI): the Pareto front, the hypervolume history
 * and the importance per objective (with one objective: the history and the importance).
 */
const SHOWN_MULTI_OBJECTIVE: readonly StudyChartKind[] = ["pareto-front", "hypervolume", "objective-importance"];

/**
 * One chart of a study with several objectives as a bundle, its note under the text; when
 * no objective's importance can be assessed yet, a line saying why instead.
 */
export async function multiObjectiveChartBundle(
  kind: StudyChartKind,
  summary: StudySummary,
  trials: readonly TrialRecord[],
  importance: (objective: number) => StudyImportance,
): Promise<MimeBundle> {
  if (kind === "objective-importance" && summary.directions.every((_, i) => importance(i).result === null))
    return { "text/plain": `No importance chart for ${summary.name}: ${importance(0).note}` };
  const { spec, note } = studyChart(kind, summary, trials, { importance });
  return chartWithNote(spec, note);
}

function importancePerObjective(summary: StudySummary, trials: readonly TrialRecord[]): (objective: number) => StudyImportance {
  const computed = new Map<number, StudyImportance>();
  return (i) => {
    let found = computed.get(i);
    if (!found) {
      found = studyImportance(trialsForObjective(trials, summary.directions, i));
      computed.set(i, found);
    }
    return found;
  };
}

/**
 * What a finished `tune` run shows: the best trial and the optimisation history (with
 * several objectives, the Pareto front as a table and a chart). Reads the study back from
 * storage, so the summary is what the tracker holds.
 */
export async function showTuneSummary(study: Study): Promise<void> {
  const { summary, best, trials } = await summaryAndBest(study);
  if (isMultiObjective(summary)) {
    display(paretoFrontBundle(summary, trials));
    if (summary.counts.COMPLETE > 0)
      display(await multiObjectiveChartBundle("pareto-front", summary, trials, importancePerObjective(summary, trials)));
    return;
  }
  display(bestTrialBundle(summary, best));
  if (best) display(await historyBundle(summary, trials));
}

/**
 * Charts `show(study)` adds when the trials recorded what they draw: clustering scores per
 * number of clusters, the convergence of a study stopped by `stop: "converged"`, the looks
 * at a locked test set, training against validation scores, the curves the study keeps.
 */
const SHOWN_WHEN_RECORDED: readonly StudyChartKind[] = ["cluster-quality", "convergence", "lockbox", "train-validation-gap", "curves"];

/** The charts of what the trials recorded, each with its note under the text. */
async function recordedChartBundles(summary: StudySummary, trials: readonly TrialRecord[]): Promise<MimeBundle[]> {
  const bundles: MimeBundle[] = [];
  for (const kind of SHOWN_WHEN_RECORDED.filter((k) => chartApplies(k, summary, trials))) {
    const { spec, note } = studyChart(kind, summary, trials);
    bundles.push(await chartWithNote(spec, note));
  }
  return bundles;
}

/**
 * What `show(study)` displays: the best trial, the optimisation history, the importance;
 * with several objectives, the Pareto front (table and chart), the hypervolume history and
 * the importance per objective; then the charts of what the trials recorded. The study's
 * tags and note, when it has them, follow the first table.
 */
export async function studyBundles(study: Study): Promise<MimeBundle[]> {
  const { summary, best, trials } = await summaryAndBest(study);
  if (isMultiObjective(summary)) {
    const table = withNotes(paretoFrontBundle(summary, trials), summary.systemAttrs);
    if (summary.counts.COMPLETE === 0) return [table];
    const importance = importancePerObjective(summary, trials);
    const kinds = kindsFor(summary).filter((kind) => SHOWN_MULTI_OBJECTIVE.includes(kind));
    const charts = [];
    for (const kind of kinds) charts.push(await multiObjectiveChartBundle(kind, summary, trials, importance));
    return [table, ...charts, ...(await recordedChartBundles(summary, trials))];
  }
  const table = withNotes(bestTrialBundle(summary, best), summary.systemAttrs);
  if (!best) return [table];
  return [
    table,
    await historyBundle(summary, trials),
    await importanceBundle(summary, trials),
    ...(await recordedChartBundles(summary, trials)),
  ];
}
