import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { TrialState } from "../../core/records.js";
import type { StudyEntry } from "../../tracker/analysis/compare-studies.js";
import type { ChartSpec } from "../../tracker/charts/common.js";
import { STATE_COLORS, STUDY_PALETTE } from "../../tracker/charts/common.js";
import { renderSvg } from "../../tracker/charts/render.js";
import { comparisonCharts, kindsFor, multiObjectiveComparisonCharts, studyChart } from "../../tracker/charts/study-charts.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import type { Storage } from "../../tracker/storage/storage.js";
import { createStudy } from "../../tune/create-study.js";
import { axesTitled, type ChartText, CLOCK, chartProblems, drawChartsAsSvg, NUMBER, readCharts } from "./chart-text.js";
import { ARTIFACTS, browserUnavailable, screenshot, watchedPage } from "./chromium.js";
import { openUiSession, type UiSession } from "./ui-session.js";
import { buildVisualStudies, type VisualStudies } from "./visual-studies.js";

/**
 * The charts as a reader sees them, in real headless Chromium: on the study, trial and
 * compare pages (drawn as SVG so their text can be measured) and as the notebook's SVG
 * renderings (render.ts), every axis and legend label lies inside its chart and clear of
 * its neighbours, no name is cut short, times read as times, counts as integers and
 * folds as "fold 1…k", trial states and studies keep one colour each. Also saves the
 * pictures the README shows, docs/images/study.png and docs/images/compare.png.
 */
const skip = browserUnavailable();

/** The widest a notebook shows a chart without scrolling (JupyterLab's output area on a 1,280-pixel screen). */
const NOTEBOOK_WIDTH = 1000;
const DOCS_IMAGES = new URL("../../docs/images/", import.meta.url);

let ui: UiSession;
let writer: Storage;
let studies: VisualStudies;
let browser: Browser;

before(async () => {
  if (skip) return;
  ui = await openUiSession(
    "visual",
    async (w) => {
      studies = await buildVisualStudies(w);
    },
    60_000,
  );
  ({ writer, browser } = ui);
});

after(async () => {
  if (skip) return;
  await ui?.close();
});

const url = (path: string) => ui.url(path);

/** The page's charts drawn as SVG and read back; a screenshot in test-artifacts/. */
async function chartsOn(path: string, picture: string, until: "charts" | "chart" = "charts"): Promise<ChartText[]> {
  const { page, watch } = await watchedPage(browser);
  await drawChartsAsSvg(page);
  await page.goto(url(path));
  if (until === "charts") await page.waitForFunction(() => document.documentElement.dataset.chartsDone === "1", null, { timeout: 20_000 });
  else await page.waitForSelector("[data-chart] svg", { timeout: 20_000 });
  const charts = await readCharts(page);
  await screenshot(page, picture);
  assert.deepEqual(watch.errors, [], `${path}: console errors`);
  await page.close();
  return charts;
}

function assertReadable(charts: readonly ChartText[], where: string): void {
  assert.ok(charts.length > 0, `${where}: no chart drawn`);
  assert.deepEqual(
    charts.flatMap((c) => chartProblems(c, { where, names: studies.names })),
    [],
  );
}

function chart(charts: readonly ChartText[], name: string): ChartText {
  const found = charts.find((c) => c.name === name);
  assert.ok(found, `chart ${name} drawn (got ${charts.map((c) => c.name).join(", ")})`);
  return found;
}

/** The charts of training scores and kept curves. */
const CURVE_KINDS = ["train-validation-gap", "curves"] as const;

const labels = (c: ChartText, title: RegExp) => axesTitled(c, title).flatMap((a) => a.labels.map((l) => l.text));

/** Every state in the chart's legend drawn in its `STATE_COLORS` colour. */
function assertStateColors(c: ChartText): void {
  const entries = c.legends.flatMap((l) => l.entries);
  assert.ok(entries.length > 0, `${c.name}: a state legend`);
  for (const { label, color } of entries) assert.equal(color, STATE_COLORS[label as TrialState], `${c.name}: colour of ${label}`);
}

/** Each study drawn in the colour its place in `order` gives it, on every chart that draws studies. */
function assertStudyColors(charts: readonly ChartText[], order: readonly string[]): void {
  for (const c of charts) {
    for (const { label, color } of c.legends.flatMap((l) => l.entries))
      if (order.includes(label)) assert.equal(color, STUDY_PALETTE[order.indexOf(label)], `${c.name}: legend colour of ${label}`);
    for (const [study, colors] of Object.entries(c.studyColors))
      assert.deepEqual(colors, [STUDY_PALETTE[order.indexOf(study)]], `${c.name}: marks of ${study}`);
  }
  assert.ok(
    charts.some((c) => Object.keys(c.studyColors).length === order.length),
    "some chart draws every study",
  );
}

/** SVG documents side by side in a page, each in a container named like the UI's; their text read back. */
async function svgCharts(page: Page, svgs: readonly { name: string; svg: string }[]): Promise<ChartText[]> {
  const boxes = svgs.map(({ name, svg }) => `<div data-chart="${name}" style="margin:8px 0">${svg}</div>`).join("");
  await page.setContent(`<!doctype html><html><body style="margin:8px;font-family:sans-serif">${boxes}</body></html>`);
  return readCharts(page);
}

async function names(ids: readonly number[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await writer.getStudy(id)).name));
}

async function entries(ids: readonly number[]): Promise<StudyEntry[]> {
  return Promise.all(ids.map(async (id) => ({ summary: await writer.getStudy(id), trials: await writer.getAllTrials(id) })));
}

describe("charts read well in headless Chromium", { skip: skip ?? undefined }, () => {
  test("study page, 20 parameters over three hours, 5-fold cross-validation: clock times, folds, states in their colours", async () => {
    const charts = await chartsOn(`/studies/${studies.long}`, "visual-study-long");
    assertReadable(charts, "long study");
    assert.deepEqual(charts.map((c) => c.name).sort(), kindsFor({ directions: ["maximize"] }).sort());
    const clock = labels(chart(charts, "timeline"), /^Time of day$/);
    assert.ok(clock.length >= 3 && clock.length <= 10, `timeline ticks: ${clock.join(", ")}`);
    assert.ok(
      clock.every((l) => CLOCK.test(l)),
      clock.join(", "),
    );
    assert.deepEqual(labels(chart(charts, "intermediate"), /^Cross-validation fold$/), ["fold 1", "fold 2", "fold 3", "fold 4", "fold 5"]);
    assert.equal(axesTitled(chart(charts, "history"), /^accuracy \(maximize, 5-fold mean\)$/).length, 1, "the metric, direction and folds");
    assert.ok(labels(chart(charts, "history"), /^Trial$/).length >= 3);
    assertStateColors(chart(charts, "intermediate"));
    assertStateColors(chart(charts, "timeline"));
  });

  test("study page, one parameter over a minute: seconds since the study started", async () => {
    const charts = await chartsOn(`/studies/${studies.short}`, "visual-study-short");
    assertReadable(charts, "short study");
    const seconds = labels(chart(charts, "timeline"), /^Seconds since the study started$/);
    assert.ok(seconds.length >= 3 && seconds.length <= 12 && seconds.every((l) => NUMBER.test(l)), seconds.join(", "));
    assert.equal(axesTitled(chart(charts, "history"), /^Objective value \(minimize\)$/).length, 1);
  });

  test("study page with two objectives", async () => {
    const charts = await chartsOn(`/studies/${studies.twoObjectives}`, "visual-study-two-objectives");
    assertReadable(charts, "two objectives");
    assert.ok(charts.some((c) => c.name === "pareto-front"));
  });

  test("study page of a k-means study: clustering quality, a panel per score over integer numbers of clusters, the elbow marked", async () => {
    const charts = await chartsOn(`/studies/${studies.clustering}`, "visual-study-clustering");
    assertReadable(charts, "clustering study");
    const quality = chart(charts, "cluster-quality");
    const ks = labels(quality, /^Number of clusters$/);
    assert.deepEqual(ks, ["2", "3", "4", "5", "6", "7", "8", "9"]);
    const titles = quality.titles.map((t) => t.text);
    for (const panel of [
      "inertia (lower is better)",
      "silhouette (higher is better)",
      "calinskiHarabasz (higher is better)",
      "daviesBouldin (lower is better)",
    ])
      assert.ok(titles.includes(panel), `${panel} in ${titles.join(" | ")}`);
    assert.deepEqual(
      quality.legends.flatMap((l) => l.entries.map((e) => e.label)),
      ["Each clustering", "Best at each number of clusters"],
    );
  });

  test("study page of a study with training scores and kept curves: both scores per trial, the curves with their regions", async () => {
    const charts = await chartsOn(`/studies/${studies.curves}`, "visual-study-curves");
    const names = charts.map((c) => c.name);
    assert.ok(names.includes("train-validation-gap") && names.includes("curves"), names.join(", "));
    assertReadable(
      charts.filter((c) => (CURVE_KINDS as readonly string[]).includes(c.name)),
      "curves study",
    );
    const gap = chart(charts, "train-validation-gap");
    assert.deepEqual(
      gap.legends.flatMap((l) => l.entries.map((e) => e.label)),
      ["Training score (mean over folds)", "Validation score (mean over folds)"],
    );
    assert.ok(labels(gap, /^Trial$/).length >= 3);
    assert.equal(axesTitled(gap, /^accuracy \(mean over folds\)$/).length, 1);
    const curves = chart(charts, "curves");
    assert.deepEqual(
      curves.legends.flatMap((l) => l.entries.map((e) => ({ ...e, color: e.color.toLowerCase() }))),
      [
        { label: "Training score", color: "#0072b2" },
        { label: "Validation score", color: "#d55e00" },
        { label: "Best validation score", color: "#000000" },
      ],
    );
    assert.equal(axesTitled(curves, /^maxDepth$/).length, 1);
    assert.equal(axesTitled(curves, /^Training rows$/).length, 1);
    const titles = curves.titles.map((t) => t.text);
    for (const title of ["Validation curve of maxDepth", "Learning curve"])
      assert.ok(titles.includes(title), `${title} in ${titles.join(" | ")}`);
  });

  test("trial page: a pruned trial's two folds", async () => {
    const pruned = (await writer.getAllTrials(studies.long, { states: ["PRUNED"] }))[0];
    const charts = await chartsOn(`/studies/${studies.long}/trials/${pruned.number}`, "visual-trial-pruned", "chart");
    assertReadable(charts, "pruned trial");
    assert.deepEqual(labels(chart(charts, "intermediate"), /^Cross-validation fold$/), ["fold 1", "fold 2"]);
  });

  test("compare page: every study keeps its colour, in the order the studies were chosen", async () => {
    const order = await names(studies.compare);
    const charts = await chartsOn(`/compare?studies=${studies.compare.join(",")}`, "visual-compare");
    assertReadable(charts, "compare");
    assertStudyColors(charts, order);
    assert.deepEqual(
      chart(charts, "best-so-far").legends.flatMap((l) => l.entries.map((e) => e.label)),
      order,
    );
    const reversed = [...studies.compare].reverse();
    const again = await chartsOn(`/compare?studies=${reversed.join(",")}`, "visual-compare-reversed");
    assertStudyColors(again, await names(reversed));
  });

  test("compare page, studies with two objectives", async () => {
    const charts = await chartsOn(`/compare?studies=${studies.repeats.join(",")}`, "visual-compare-two-objectives");
    assertReadable(charts, "compare two objectives");
    assertStudyColors(charts, await names(studies.repeats));
  });

  test("the notebook's SVG of every chart kind, and of the comparisons, read well at a notebook's width", async () => {
    const { page } = await watchedPage(browser);
    const svgs: { name: string; svg: string }[] = [];
    for (const id of [studies.short, studies.long, studies.twoObjectives, studies.clustering]) {
      const [entry] = await entries([id]);
      for (const kind of kindsFor(entry.summary, entry.trials))
        svgs.push({ name: `${entry.summary.name}: ${kind}`, svg: await renderSvg(studyChart(kind, entry.summary, entry.trials).spec) });
    }
    const [curved] = await entries([studies.curves]);
    for (const kind of CURVE_KINDS)
      svgs.push({ name: `${curved.summary.name}: ${kind}`, svg: await renderSvg(studyChart(kind, curved.summary, curved.trials).spec) });
    const compared = comparisonCharts(await entries(studies.compare));
    const repeats = multiObjectiveComparisonCharts(await entries(studies.repeats));
    const comparisons: [string, ChartSpec][] = [
      ["best-so-far", compared.bestSoFar],
      ["folds", compared.foldScores],
      ["hypervolume-so-far", repeats.hypervolume],
    ];
    for (const [name, spec] of comparisons) svgs.push({ name, svg: await renderSvg(spec) });
    const charts = await svgCharts(page, svgs);
    assert.equal(charts.length, svgs.length);
    assertReadable(charts, "notebook");
    for (const c of charts) assert.ok(c.svg.right - c.svg.left <= NOTEBOOK_WIDTH, `${c.name}: ${c.svg.right - c.svg.left} px wide`);
    const long = (await writer.getStudy(studies.long)).name;
    assert.deepEqual(labels(chart(charts, `${long}: intermediate`), /^Cross-validation fold$/), [
      "fold 1",
      "fold 2",
      "fold 3",
      "fold 4",
      "fold 5",
    ]);
    assertStudyColors(
      charts.filter((c) => c.name === "best-so-far" || c.name === "folds"),
      await names(studies.compare),
    );
    const clustering = (await writer.getStudy(studies.clustering)).name;
    assert.deepEqual(labels(chart(charts, `${clustering}: cluster-quality`), /^Number of clusters$/), [
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
    ]);
    await screenshot(page, "visual-notebook");
    await page.close();
  });

  test("a constrained study's optimisation history: infeasible trials in their own legend entry, the best line over feasible ones", async () => {
    const study = await createStudy({
      storage: new InMemoryStorage(),
      direction: "minimize",
      sampler: "random",
      seed: 3,
      constraints: (t) => [(t.params.x as number) - 1.5],
    });
    await study.optimize((t) => (t.suggestFloat("x", 0, 4) - 2) ** 2, { nTrials: 60 });
    const summary = await study.storage.getStudy(study.studyId);
    const { page } = await watchedPage(browser);
    const charts = await svgCharts(page, [
      { name: "history", svg: await renderSvg(studyChart("history", summary, await study.trials()).spec) },
    ]);
    assertReadable(charts, "constrained history");
    const legend = charts[0].legends.flatMap((l) => l.entries);
    assert.deepEqual(
      legend.map((e) => e.label),
      ["Feasible trial", "Infeasible trial", "Best so far (minimize)"],
    );
    assert.equal(legend[0].color, STATE_COLORS.COMPLETE);
    assert.notEqual(legend[1].color, legend[0].color, "infeasible trials in a colour of their own");
    await screenshot(page, "visual-constrained-history");
    await page.close();
  });

  test("the checks catch cut legends, clipped text, overlapping labels, fractional counts and times that are not times", async () => {
    const { page } = await watchedPage(browser);
    const long = "wine-random-forest (20 parameters)";
    const rows = [0, 1, 2, 3, 4].map((i) => ({
      step: i / 2,
      at: Date.UTC(2024, 0, 1, 12, 0, 0, i * 250),
      study: i % 2 ? long : `${long}, again`,
    }));
    const spec = (encoding: object, extra: object = {}): ChartSpec =>
      ({ title: "t", width: 200, height: 100, data: { values: rows }, mark: "point", encoding, ...extra }) as ChartSpec;
    const charts = await svgCharts(page, [
      {
        name: "cut legend",
        svg: await renderSvg(
          spec({
            x: { field: "step", type: "quantitative" },
            color: { field: "study", type: "nominal", legend: { labelLimit: 40 } },
          }),
        ),
      },
      { name: "fractional steps", svg: await renderSvg(spec({ x: { field: "step", type: "quantitative", title: "Step" } })) },
      { name: "milliseconds", svg: await renderSvg(spec({ x: { field: "at", type: "temporal", title: "Time" } })) },
      {
        name: "upright names",
        svg: await renderSvg(spec({ x: { field: "study", type: "nominal", axis: { labelAngle: 0, labelLimit: 0 } } }, { width: 120 })),
      },
    ]);
    const found = charts.flatMap((c) => chartProblems(c, { where: "bad", names: [long] }));
    const about = (name: string, pattern: RegExp) =>
      assert.ok(
        found.some((p) => p.includes(`chart ${name}:`) && pattern.test(p)),
        `${name}: ${found.join("\n")}`,
      );
    about("cut legend", /cut short/);
    about("fractional steps", /counts, but has labels/);
    about("milliseconds", /not clock times/);
    about("upright names", /overlap/);
    // A drawing clipped by its box: the frame narrower than the text.
    const clipped = { ...charts[1], frame: { ...charts[1].svg, right: charts[1].svg.left + 50 } };
    assert.ok(chartProblems(clipped, { where: "bad" }).some((p) => /cut off by the chart's box/.test(p)));
    await page.close();
  });

  test("pictures for the README: the study and compare pages at 1,280 pixels wide", async () => {
    // The README's copies change only when asked for: the pages show dates relative to now.
    const forReadme = process.env.TUNEBOOK_README_IMAGES === "1";
    if (forReadme) mkdirSync(DOCS_IMAGES, { recursive: true });
    for (const [path, picture] of [
      [`/studies/${studies.long}`, "study"],
      [`/compare?studies=${studies.compare.join(",")}`, "compare"],
    ]) {
      const { page, watch } = await watchedPage(browser);
      await page.goto(url(path));
      await page.waitForFunction(() => document.documentElement.dataset.chartsDone === "1", null, { timeout: 20_000 });
      assert.equal(page.viewportSize()?.width, 1280);
      await screenshot(page, `readme-${picture}`);
      // The top of the page, as a README shows it: at most 1,600 pixels of it.
      const height = Math.min(1600, await page.evaluate(() => document.documentElement.scrollHeight));
      const file = forReadme ? new URL(`${picture}.png`, DOCS_IMAGES) : new URL(`readme-${picture}-top.png`, ARTIFACTS);
      await page.screenshot({ path: file.pathname, fullPage: true, clip: { x: 0, y: 0, width: 1280, height } });
      assert.deepEqual(watch.errors, []);
      await page.close();
    }
  });
});
