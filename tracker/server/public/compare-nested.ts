/**
 * Nested cross-validation runs compared on the compare page: each run's outer scores
 * (fold by fold, and mean ± std), the parameters each outer fold chose and how stable
 * they are, and the paired tests over the outer folds between the best run and the others.
 */

import type { ParamStability } from "../../../tune/nested-stability.js";
import type { Comparison } from "../../analysis/compare.js";
import type { NestedCompareJson, NestedRunRowJson } from "../types.js";
import { chartBox, drawChart } from "./charts.js";
import { h, num, paramText, replace } from "./common.js";
import { pairedTests } from "./paired-tests.js";

/** Why this comparison, and not the best trials', is the one to trust. */
export const HONEST_COMPARISON =
  "Each outer fold scored the configuration its own tuning chose, once, on rows that tuning never saw, whereas a study's best trial is the luckiest of many noisy validation scores (the winner's curse): the outer scores are the honest comparison.";

export async function showNested(container: HTMLElement, nested: NestedCompareJson): Promise<void> {
  const chart = chartBox("Outer scores per fold", { wide: true, name: "nested-outer" });
  const apart = nested.rows.filter((r) => r.excluded !== undefined).length;
  if (apart > 0 && apart < nested.rows.length)
    replace(chart.caption, "Runs that are not ranked (see the table) are not drawn: they were scored on other rows.");
  replace(
    container,
    h("p", { id: "nested-why" }, HONEST_COMPARISON),
    nested.note ? h("p", { className: "muted" }, nested.note) : null,
    h("div", { className: "charts" }, chart.box),
    h("h2", null, "Runs by mean outer score"),
    runsTable(nested),
    ...nested.rows.flatMap((r) =>
      r.excluded === undefined ? [] : [h("p", { className: "muted excluded" }, `${r.name} is not ranked: ${r.excluded}.`)],
    ),
    h("h2", null, "Chosen parameters per outer fold"),
    h("div", { id: "nested-params" }, ...nested.rows.flatMap((row) => [h("h3", null, row.name), paramsTable(row)])),
    h("h2", null, "Is the best run really better?"),
    testsSection(nested),
  );
  await drawChart(chart.body, nested.chart);
}

function runsTable(nested: NestedCompareJson): HTMLElement {
  const columns = ["run", "scorer", "outer folds", "mean ± std", "same configuration", "inner studies", ""];
  return h(
    "table",
    { id: "nested-table" },
    h("thead", null, h("tr", null, ...columns.map((c, i) => h("th", { className: i === 2 || i === 3 ? "num" : "" }, c)))),
    h(
      "tbody",
      null,
      ...nested.rows.map((r) =>
        h(
          "tr",
          r.excluded === undefined ? null : { className: "muted" },
          h("td", null, r.name),
          h("td", null, `${r.scoring} (${r.direction})`),
          h("td", { className: "num" }, r.complete ? String(r.nOuter) : `${r.folds.length} of ${r.nOuter}`),
          h("td", { className: "num" }, `${num(r.mean)} ± ${num(r.std)}`),
          h("td", null, `${agreeing(r)} of ${r.folds.length} folds`),
          h("td", { className: "links" }, ...r.folds.map((f) => studyLink(f.studyId, String(f.fold + 1), f.study))),
          h("td", null, r.excluded === undefined ? "" : "not ranked"),
        ),
      ),
    ),
  );
}

/** Folds whose whole configuration is the most common one. */
function agreeing(r: NestedRunRowJson): number {
  return Math.round(r.stability.agreement * r.folds.length);
}

function studyLink(id: number | null, text: string, title: string): HTMLElement {
  return id === null ? h("span", { title }, text) : h("a", { href: `/studies/${id}`, title }, text);
}

/** One row per outer fold: its inner study, the chosen trial, its parameters and both scores; then each parameter's stability. */
function paramsTable(r: NestedRunRowJson): HTMLElement {
  const names = Object.keys(r.stability.params);
  return h(
    "table",
    { className: "nested-params" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        ...["outer fold", "inner study", "chosen trial", ...names, "inner score", "outer score"].map((c, i) =>
          h("th", { className: i === 0 || i === 2 || i >= 3 + names.length ? "num" : "" }, c),
        ),
      ),
    ),
    h(
      "tbody",
      null,
      ...r.folds.map((f) =>
        h(
          "tr",
          null,
          h("td", { className: "num" }, String(f.fold + 1)),
          h("td", null, studyLink(f.studyId, f.study, f.study)),
          h(
            "td",
            { className: "num" },
            f.studyId === null
              ? String(f.trialNumber)
              : h("a", { href: `/studies/${f.studyId}/trials/${f.trialNumber}` }, String(f.trialNumber)),
          ),
          ...names.map((name) => h("td", null, Object.hasOwn(f.params, name) ? paramText(f.params[name]) : "—")),
          h("td", { className: "num" }, num(f.innerBest)),
          h("td", { className: "num" }, num(f.outerScore)),
        ),
      ),
      h(
        "tr",
        { className: "stability" },
        h("th", null, "stability"),
        h("td", null, `same configuration in ${agreeing(r)} of ${r.folds.length} folds`),
        h("td", null),
        ...names.map((name) => h("td", null, stabilityText(r.stability.params[name], r.folds.length))),
        h("td", null),
        h("td", null),
      ),
    ),
  );
}

function stabilityText(s: ParamStability, folds: number): string {
  if (s.kind === "float")
    return s.log ? `around ${num(s.center)}, spread ${num(s.spread)} decades` : `around ${num(s.center)}, spread ${num(s.spread)} of it`;
  return `${paramText(s.mode)} in ${Math.round(s.agreement * folds)} of ${folds}`;
}

function testsSection(nested: NestedCompareJson): HTMLElement {
  const [first] = nested.tests;
  if (first === undefined)
    return h("p", { className: "muted", id: "nested-test" }, `No paired test: ${nested.noTestReason ?? "nothing to pair"}.`);
  // The rows give the population std, as nestedCrossValidate does; the test block shows the same.
  const std = new Map(nested.rows.map((r) => [r.name, r.std]));
  const withStd = (t: Comparison): Comparison => ({ ...t, a: { ...t.a, std: std.get(t.a.name)! }, b: { ...t.b, std: std.get(t.b.name)! } });
  const ratio =
    nested.nTest !== null && nested.nTrain !== null ? ` with n_test / n_train = ${num(nested.nTest)} / ${num(nested.nTrain)}` : "";
  const block = pairedTests(
    withStd(first),
    {
      intro: `The best run, ${first.a.name}, and the next, ${first.b.name}, paired over their ${first.a.n} outer folds. `,
      tie: "Their mean outer scores tie.",
      better: "has the better mean outer score.",
      tTest: `corrected resampled t-test (Nadeau & Bengio)${ratio}`,
      neither: first.a.n < 6 ? `; with ${first.a.n} outer folds the Wilcoxon test cannot reach 0.05 at all` : "",
    },
    "nested-test",
  );
  if (nested.tests.length === 1) return block;
  const verdict = (t: Comparison) =>
    t.significant.tTest && t.significant.wilcoxon
      ? "both significant"
      : t.significant.tTest || t.significant.wilcoxon
        ? "tests disagree"
        : "may be noise";
  return h(
    "div",
    null,
    block,
    h("h3", null, `Every run against ${first.a.name}`),
    h(
      "table",
      { id: "nested-tests" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ...["run", "mean difference", "t-test p", "Wilcoxon p", ""].map((c, i) =>
            h("th", { className: i >= 1 && i <= 3 ? "num" : "" }, c),
          ),
        ),
      ),
      h(
        "tbody",
        null,
        ...nested.tests.map((t) =>
          h(
            "tr",
            null,
            h("td", null, t.b.name),
            h("td", { className: "num" }, num(t.meanDifference)),
            h("td", { className: "num" }, num(t.tTest.pValue)),
            h("td", { className: "num" }, num(t.wilcoxon.pValue)),
            h("td", null, verdict(t)),
          ),
        ),
      ),
    ),
  );
}
