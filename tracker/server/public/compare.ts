/**
 * Comparing studies (typically one per algorithm of an experiment): best-so-far
 * curves overlaid, the fold scores of each study's best trial, mean ± std, and the
 * paired tests between the best two — is the winner really better, or is it noise?
 */
import type { CompareResponse, StudiesResponse } from "../types.js";
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
  const verdict = (significant: boolean, p: number) =>
    `p = ${num(p)}: ${significant ? `significant at ${t.alpha}` : `not significant at ${t.alpha}`}`;
  const row = (label: string, ...cells: string[]) => h("tr", null, h("th", null, label), ...cells.map((c) => h("td", null, c)));
  const both = t.significant.tTest && t.significant.wilcoxon;
  const neither = !t.significant.tTest && !t.significant.wilcoxon;
  return h(
    "div",
    { id: "compare-test" },
    h(
      "p",
      null,
      `The two best studies, ${t.a.name} and ${t.b.name}, paired over ${t.a.n} folds of their best trials. `,
      t.better === null ? "Their mean fold scores tie." : `${t.better} has the better mean fold score.`,
    ),
    h(
      "table",
      null,
      h(
        "tbody",
        null,
        row(t.a.name, `${num(t.a.mean)} ± ${num(t.a.std)}`),
        row(t.b.name, `${num(t.b.mean)} ± ${num(t.b.std)}`),
        row("mean difference", num(t.meanDifference)),
        row(
          "corrected resampled t-test (Nadeau & Bengio)",
          `t = ${num(t.tTest.t)}, df = ${t.tTest.df}`,
          verdict(t.significant.tTest, t.tTest.pValue),
        ),
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
          ? "Neither test finds the difference significant: it may well be noise."
          : "The tests disagree: treat the difference with caution.",
    ),
  );
}

start().catch((error) => replace(main(), errorBox(error)));
