import type { NestedComparison } from "../../select/compare-nested.js";
import type { NestedCrossValidateResult } from "../../select/nested-cv.js";
import { nestedScoresData, nestedScoresSpec } from "../../tracker/charts/nested-scores.js";
import type { ParamStability } from "../../tune/nested-stability.js";
import type { MimeBundle } from "./output.js";
import { formatValue, type TableValue, tableBundle } from "./table.js";
import { vegaLiteBundle } from "./vega.js";

/**
 * A nested cross-validation (what `nestedCrossValidate` returned) shows its outer scores
 * fold by fold and the parameters each outer fold chose, with their stability; a
 * comparison of two (`compareNested`) shows its paired tests.
 */

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** True for a result of `nestedCrossValidate`. */
export function isNestedResult(value: unknown): value is NestedCrossValidateResult {
  return (
    isObject(value) &&
    Array.isArray(value.outerScores) &&
    Array.isArray(value.chosen) &&
    Array.isArray(value.outerTestRows) &&
    isObject(value.stability) &&
    isObject(value.scoring) &&
    isObject(value.cv)
  );
}

/** True for a result of `compareNested`. */
export function isNestedComparison(value: unknown): value is NestedComparison {
  return (
    isObject(value) &&
    isObject(value.a) &&
    Array.isArray(value.a.outerScores) &&
    isObject(value.b) &&
    isObject(value.tTest) &&
    isObject(value.wilcoxon) &&
    isObject(value.significant) &&
    isObject(value.scoring)
  );
}

/** The outer scores per fold (a chart) and the chosen parameters per fold with their stability (a table). */
export async function nestedResultBundles(result: NestedCrossValidateResult): Promise<MimeBundle[]> {
  const names = Object.keys(result.stability.params);
  const k = result.chosen.length;
  const rows: TableValue[][] = result.chosen.map((c) => [
    c.fold + 1,
    c.study,
    c.trialNumber,
    ...names.map((name) => paramCell(Object.hasOwn(c.params, name) ? c.params[name] : undefined)),
    c.innerBest,
    c.outerScore,
  ]);
  const agreeing = Math.round(result.stability.agreement * k);
  rows.push([
    "stability",
    `same configuration in ${agreeing} of ${k}`,
    null,
    ...names.map((name) => stabilityText(result.stability.params[name], k)),
    null,
    null,
  ]);
  const table = tableBundle(["outer fold", "inner study", "trial", ...names, "inner score", "outer score"], rows, {
    caption:
      `${result.name}: ${result.scoring.name} ${formatValue(result.mean)} ± ${formatValue(result.std)} over ${k} outer folds ` +
      `(outer ${result.cv.outer}, inner ${result.cv.inner})`,
    numeric: [false, false, true, ...names.map(() => false), true, true],
  });
  const chart = await vegaLiteBundle(
    nestedScoresSpec(
      nestedScoresData([
        { name: result.name, folds: result.chosen.map((c) => ({ fold: c.fold, outerScore: c.outerScore, params: c.params })) },
      ]),
      { scoreTitle: `${result.scoring.name} on the outer test rows`, title: `Outer scores per fold — ${result.name}` },
    ),
  );
  return [chart, table];
}

/** The paired tests of two nested runs over their outer folds, with each one's verdict. */
export function nestedComparisonBundle(c: NestedComparison): MimeBundle {
  const n = c.a.outerScores.length;
  const better = c.better === null ? "their mean outer scores tie" : `${c.better === "a" ? c.a.name : c.b.name} has the better mean`;
  const verdict = (significant: boolean) => (significant ? "yes" : "no");
  return tableBundle(
    ["test", "statistic", "df", "p-value", `significant at ${c.alpha}`],
    [
      ["corrected resampled t-test", c.tTest.t, c.tTest.df, c.tTest.pValue, verdict(c.significant.tTest)],
      [`Wilcoxon signed-rank (${c.wilcoxon.method})`, c.wilcoxon.statistic, null, c.wilcoxon.pValue, verdict(c.significant.wilcoxon)],
    ],
    {
      caption:
        `${c.a.name} ${formatValue(c.a.mean)} ± ${formatValue(c.a.std)} vs ${c.b.name} ${formatValue(c.b.mean)} ± ${formatValue(c.b.std)} ` +
        `(${c.scoring.name}, ${n} outer folds, mean difference ${formatValue(c.meanDifference)}): ${better}`,
      numeric: [false, true, true, true, false],
    },
  );
}

function paramCell(value: unknown): TableValue {
  return value === undefined ? "—" : typeof value === "number" || typeof value === "boolean" || value === null ? value : String(value);
}

function stabilityText(s: ParamStability, folds: number): string {
  if (s.kind === "float") return `around ${formatValue(s.center)}, spread ${formatValue(s.spread)}${s.log ? " decades" : " of it"}`;
  return `${formatValue(s.mode)} in ${Math.round(s.agreement * folds)} of ${folds}`;
}
