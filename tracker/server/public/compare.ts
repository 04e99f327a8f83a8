/**
 * Comparing studies (typically one per algorithm of an experiment): best-so-far
 * curves overlaid, the fold scores of each study's best trial, mean ± std, and the
 * paired tests between the best two — is the winner really better, or is it noise?
 */
import type { Comparison } from "../../analysis/compare.js";
import type { CompareResponse, MultiObjectiveCompareJson, StudiesResponse } from "../types.js";
import { chartBox, drawChart, showNote } from "./charts.js";
import { errorBox, getJson, h, main, num, replace } from "./common.js";

function selectedIds(): number[] {
  const raw = new URLSearchParams(location.search).getAll("studies").flatMap((v) => v.split(","));
  return raw.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n >= 0);
}

async function start(): Promise<void> {
  document.title = "Compare studies · tunebook";
  const ids = selectedIds();
  const studies = await getJson<StudiesResponse>("/api/studies");
  const picker = pickerSection(studies, new Set(ids));
  const results = h("div", { id: "compare-results" });
  replace(main(), h("h1", null, "Compare studies"), picker, results);
  if (ids.length === 0) {
    replace(results, h("p", { className: "muted" }, "Tick two or more studies above, then Compare."));
    return;
  }
  try {
    await showResults(results, await getJson<CompareResponse>(`/api/compare?studies=${ids.join(",")}`));
  } catch (error) {
    replace(results, errorBox(error));
  }
  document.documentElement.dataset.chartsDone = "1";
}

function pickerSection(data: StudiesResponse, chosen: Set<number>): HTMLElement {
  const boxes: HTMLInputElement[] = [];
  const groups = data.experiments.map((g) =>
    h(
      "fieldset",
      null,
      h("legend", null, g.experiment ?? "Not in an experiment"),
      ...g.studies.map((s) => {
        const box = h("input", { type: "checkbox", checked: chosen.has(s.id), dataset: { study: String(s.id) } });
        boxes.push(box);
        return h(
          "label",
          { className: "pick" },
          box,
          ` ${s.name} `,
          h("span", { className: "muted" }, `(${s.counts.COMPLETE} complete)`),
          " ",
        );
      }),
    ),
  );
  const go = h(
    "button",
    {
      type: "button",
      id: "compare-go",
      onclick: () => {
        const ids = boxes.filter((b) => b.checked).map((b) => b.dataset.study);
        location.search = ids.length ? `?studies=${ids.join(",")}` : "";
      },
    },
    "Compare",
  );
  return h("details", { className: "picker" }, h("summary", null, "Choose studies"), h("div", { className: "controls" }, ...groups, go));
}

async function showResults(results: HTMLElement, data: CompareResponse): Promise<void> {
  if (data.multiObjective) return showMultiObjective(results, data.multiObjective);
  const history = chartBox("Best value so far", { wide: true, name: "best-so-far" });
  const folds = chartBox("Fold scores of each study's best trial", { wide: true, name: "folds" });
  const table = h(
    "table",
    { id: "compare-table" },
    h(
      "thead",
      null,
      h("tr", null, ...["study", "direction", "best value", "best trial", "folds", "mean ± std"].map((c) => h("th", null, c))),
    ),
    h(
      "tbody",
      null,
      ...data.rows.map((r) =>
        h(
          "tr",
          null,
          h("td", null, h("a", { href: `/studies/${r.study.id}` }, r.study.name)),
          h("td", null, r.study.direction),
          h("td", { className: "num" }, num(r.study.bestValue)),
          h(
            "td",
            { className: "num" },
            r.study.bestTrialNumber === null
              ? "—"
              : h("a", { href: `/studies/${r.study.id}/trials/${r.study.bestTrialNumber}` }, String(r.study.bestTrialNumber)),
          ),
          h("td", { className: "num" }, String(r.foldScores.length)),
          h("td", { className: "num" }, r.mean === null ? "—" : `${num(r.mean)} ± ${num(r.std)}`),
        ),
      ),
    ),
  );
  replace(
    results,
    data.note ? h("p", { className: "muted" }, data.note) : null,
    h("div", { className: "charts" }, history.box, folds.box),
    h("h2", null, "Summary"),
    table,
    h("h2", null, "Is the winner really better?"),
    testSection(data),
  );
  await Promise.all([
    data.bestSoFarChart
      ? drawChart(history.body, data.bestSoFarChart)
      : Promise.resolve(showNote(history.body, "No completed trials to draw.")),
    data.foldChart
      ? drawChart(folds.body, data.foldChart)
      : Promise.resolve(showNote(folds.body, "The best trials recorded no fold scores (user attribute fold_scores).")),
  ]);
}

function testSection(data: CompareResponse): HTMLElement {
  const t = data.test;
  if (!t)
    return h(
      "p",
      { className: "muted", id: "compare-test" },
      data.note ?? "A paired test needs two studies whose best trials recorded scores on the same folds.",
    );
  return pairedTests(t, {
    intro: `The two best studies, ${t.a.name} and ${t.b.name}, paired over ${t.a.n} folds of their best trials. `,
    tie: "Their mean fold scores tie.",
    better: "has the better mean fold score.",
    tTest: "corrected resampled t-test (Nadeau & Bengio)",
    neither: "",
  });
}

/** The two paired tests as a table with their verdicts, worded for what was paired. */
function pairedTests(t: Comparison, words: { intro: string; tie: string; better: string; tTest: string; neither: string }): HTMLElement {
  const verdict = (significant: boolean, p: number) =>
    `p = ${num(p)}: ${significant ? `significant at ${t.alpha}` : `not significant at ${t.alpha}`}`;
  const row = (label: string, ...cells: string[]) => h("tr", null, h("th", null, label), ...cells.map((c) => h("td", null, c)));
  const both = t.significant.tTest && t.significant.wilcoxon;
  const neither = !t.significant.tTest && !t.significant.wilcoxon;
  return h(
    "div",
    { id: "compare-test" },
    h("p", null, words.intro, t.better === null ? words.tie : `${t.better} ${words.better}`),
    h(
      "table",
      null,
      h(
        "tbody",
        null,
        row(t.a.name, `${num(t.a.mean)} ± ${num(t.a.std)}`),
        row(t.b.name, `${num(t.b.mean)} ± ${num(t.b.std)}`),
        row("mean difference", num(t.meanDifference)),
        row(words.tTest, `t = ${num(t.tTest.t)}, df = ${t.tTest.df}`, verdict(t.significant.tTest, t.tTest.pValue)),
        row(
          "Wilcoxon signed-rank test",
          `W = ${num(t.wilcoxon.statistic)} (${t.wilcoxon.method})`,
          verdict(t.significant.wilcoxon, t.wilcoxon.pValue),
        ),
      ),
    ),
    h(
      "p",
      { className: "verdict" },
      both
        ? "Both tests say the difference is unlikely to be noise."
        : neither
          ? `Neither test finds the difference significant: it may well be noise${words.neither}.`
          : "The tests disagree: treat the difference with caution.",
    ),
  );
}

/**
 * Studies with the same several objectives: each one's hypervolume against one reference
 * point, the hypervolume curves, and the paired tests between the two best algorithms
 * when the studies repeat them over seeds.
 */
async function showMultiObjective(results: HTMLElement, mo: MultiObjectiveCompareJson): Promise<void> {
  const chart = chartBox("Hypervolume so far", { wide: true, name: "hypervolume-so-far" });
  const point = mo.referencePoint
    ? mo.objectives.map((title, i) => `${title} ${num(mo.referencePoint![i])}`).join(", ")
    : "none yet (no feasible completed trial)";
  const table = h(
    "table",
    { id: "compare-table" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        ...["study", "hypervolume", "Pareto front", "complete", "feasible", "repeat of", "seed"].map((c, i) =>
          h("th", { className: i >= 1 && i <= 4 ? "num" : "" }, c),
        ),
      ),
    ),
    h(
      "tbody",
      null,
      ...mo.rows.map((r) =>
        h(
          "tr",
          null,
          h("td", null, h("a", { href: `/studies/${r.study.id}` }, r.study.name)),
          h("td", { className: "num" }, num(r.hypervolume)),
          h("td", { className: "num" }, String(r.frontSize)),
          h("td", { className: "num" }, String(r.nComplete)),
          h("td", { className: "num" }, String(r.nFeasible)),
          h("td", null, r.group ?? "—"),
          h("td", null, r.seed ?? "—"),
        ),
      ),
    ),
  );
  const groups = mo.groups.length
    ? h(
        "table",
        { id: "compare-groups" },
        h("thead", null, h("tr", null, ...["algorithm", "seeds", "hypervolume mean ± std"].map((c) => h("th", null, c)))),
        h(
          "tbody",
          null,
          ...mo.groups.map((g) =>
            h(
              "tr",
              null,
              h("td", null, g.name),
              h("td", null, g.seeds.join(", ")),
              h("td", { className: "num" }, `${num(g.summary.mean)} ± ${num(g.summary.std)}`),
            ),
          ),
        ),
      )
    : null;
  replace(
    results,
    h("p", null, `Objectives: ${mo.objectives.join(", ")}.`),
    h(
      "p",
      { className: "muted", id: "reference-point" },
      `Hypervolumes against one reference point, ${point}: each objective's worst value on the union of the studies' feasible Pareto fronts plus a tenth of its range (defaultReferencePoint).`,
    ),
    h("div", { className: "charts" }, chart.box),
    h("h2", null, "By hypervolume"),
    table,
    groups ? h("h2", null, "Repeated over seeds") : null,
    groups,
    h("h2", null, "Is the winner really better?"),
    multiObjectiveTest(mo),
  );
  await drawChart(chart.body, mo.hypervolumeChart);
}

function multiObjectiveTest(mo: MultiObjectiveCompareJson): HTMLElement {
  const t = mo.test;
  if (!t) return h("p", { className: "muted", id: "compare-test" }, `No paired test: ${mo.noTestReason ?? "nothing to pair"}.`);
  return pairedTests(t, {
    intro: `The two best algorithms by mean hypervolume, ${t.a.name} and ${t.b.name}, paired seed by seed over ${t.a.n} seeds. `,
    tie: "Their mean hypervolumes tie.",
    better: "has the larger mean hypervolume.",
    tTest: "paired t-test (independent runs: no overlap correction)",
    neither: t.a.n < 6 ? `; with ${t.a.n} seeds the Wilcoxon test cannot reach 0.05 at all, repeat over more seeds` : "",
  });
}

start().catch((error) => replace(main(), errorBox(error)));
