/**
 * Comparing studies (typically one per algorithm of an experiment): best-so-far
 * curves overlaid, the fold scores of each study's best trial, mean ± std, and the
 * paired tests between the best two — is the winner really better, or is it noise?
 * Studies that are inner studies of nested cross-validation runs can also be compared
 * run by run, by their outer scores (compare-nested.ts): the default when there are any.
 */
import type { CompareResponse, MultiObjectiveCompareJson, StudiesResponse } from "../types.js";
import { chartBox, drawChart, showNote } from "./charts.js";
import { errorBox, getJson, h, main, num, replace } from "./common.js";
import { showNested } from "./compare-nested.js";
import { pairedTests } from "./paired-tests.js";

function selectedIds(): number[] {
  const raw = new URLSearchParams(location.search).getAll("studies").flatMap((v) => v.split(","));
  return raw.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n >= 0);
}

async function start(): Promise<void> {
  document.title = "Compare studies · tunebook";
  const ids = selectedIds();
  const experiment = new URLSearchParams(location.search).get("experiment");
  const studies = await getJson<StudiesResponse>("/api/studies");
  const picker = pickerSection(studies, new Set(ids));
  const results = h("div", { id: "compare-results" });
  replace(
    main(),
    h("h1", null, "Compare studies"),
    experiment === null ? null : h("p", { id: "compare-experiment" }, `Every study of the experiment ${experiment}.`),
    picker,
    results,
  );
  if (ids.length === 0 && experiment === null) {
    replace(results, h("p", { className: "muted" }, "Tick two or more studies above, then Compare."));
    return;
  }
  const query = experiment === null ? `studies=${ids.join(",")}` : `experiment=${encodeURIComponent(experiment)}`;
  try {
    await showResults(results, await getJson<CompareResponse>(`/api/compare?${query}`));
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
      g.experiment === null
        ? null
        : h("a", { className: "whole", href: `/compare?experiment=${encodeURIComponent(g.experiment)}` }, "the whole experiment"),
      " ",
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
  const { nested } = data;
  if (nested === null) return showBestTrials(results, data);
  const view = h("div", { id: "compare-view" });
  const render = async (byNested: boolean) => {
    document.documentElement.dataset.chartsDone = "0";
    await (byNested ? showNested(view, nested) : showBestTrials(view, data));
    document.documentElement.dataset.chartsDone = "1";
  };
  const byNested = new URLSearchParams(location.search).get("by") !== "best";
  const toggle = h("input", {
    type: "checkbox",
    id: "compare-by-nested",
    checked: byNested,
    onchange: () => {
      const url = new URL(location.href);
      url.searchParams.set("by", toggle.checked ? "nested" : "best");
      history.replaceState(null, "", url);
      render(toggle.checked).catch((error) => replace(view, errorBox(error)));
    },
  });
  replace(
    results,
    h(
      "div",
      { className: "controls" },
      h(
        "label",
        null,
        toggle,
        ` Compare by nested cross-validation: ${nested.rows.length} run${nested.rows.length === 1 ? "" : "s"}, by their outer folds (untick for each study's best trial)`,
      ),
    ),
    view,
  );
  await render(byNested);
}

/** Each study through its best trial (as for studies that are not part of nested runs). */
async function showBestTrials(results: HTMLElement, data: CompareResponse): Promise<void> {
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
