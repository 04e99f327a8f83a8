import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { DistributionJson } from "../../core/records.js";
import { kindsFor } from "../../tracker/charts/study-charts.js";
import type { Storage } from "../../tracker/storage/storage.js";
import { LOCKBOX_ATTR } from "../../tune/test-set-record.js";
import { buildFixture, DISTRIBUTIONS, type Fixture, XSS } from "../tracker/server/fixture.js";
import { buildMultiObjectiveFixture, type MultiObjectiveFixture } from "../tracker/server/multi-objective-fixture.js";
import { assertClean } from "./assert-clean.js";
import { browserUnavailable, screenshot } from "./chromium.js";
import { openUiSession, type UiSession } from "./ui-session.js";

/**
 * Every page in real headless Chromium, over an SQLite file written by another
 * connection (as a study process would): charts drawn, no console errors, and none
 * of the script payloads in names, parameters, attributes or errors ever runs.
 */
const skip = browserUnavailable();

let ui: UiSession;
let writer: Storage;
let fx: Fixture;
let mo: MultiObjectiveFixture;

before(async () => {
  if (skip) return;
  ui = await openUiSession(
    "ui",
    async (w) => {
      fx = await buildFixture(w);
      mo = await buildMultiObjectiveFixture(w, 30);
    },
    300,
  );
  writer = ui.writer;
});

after(async () => {
  if (skip) return;
  await ui?.close();
});

/** Waits for the page's first drawing, then checks every chart container holds an SVG or canvas. */
async function assertChartsDrawn(page: Page, expected: readonly string[]): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.chartsDone === "1", null, { timeout: 20_000 });
  const drawn = await page.$$eval("[data-chart]", (els) =>
    els.map((el) => ({
      name: (el as HTMLElement).dataset.chart!,
      drawn: el.querySelector("svg, canvas") !== null,
      text: el.textContent ?? "",
    })),
  );
  for (const name of expected) {
    const chart = drawn.find((c) => c.name === name);
    assert.ok(chart, `chart container ${name} exists`);
    assert.ok(chart.drawn, `chart ${name} is drawn (got: ${chart.text.slice(0, 200)})`);
  }
}

const STUDY_CHARTS = ["history", "importance", "slice", "parallel", "contour", "edf", "intermediate", "timeline"];

interface LegendCheck {
  /** Every legend label as drawn. */
  labels: string[];
  /** Legends reaching outside the chart's own drawing, in pixels (0 when whole). */
  overflow: number;
}

/**
 * A chart's spec from the API drawn once more as SVG in the page (the page draws on a
 * canvas, whose text cannot be read back): its legend labels, and how far any legend
 * reaches outside the drawing. Vega cuts a label that is too long short with "…".
 */
async function legendOf(page: Page, path: string): Promise<LegendCheck> {
  return page.evaluate(async (url) => {
    const spec = (await (await fetch(url)).json()).spec;
    const embed = (window as unknown as { vegaEmbed: (el: HTMLElement, spec: unknown, options: object) => Promise<{ finalize(): void }> })
      .vegaEmbed;
    const el = document.createElement("div");
    document.body.append(el);
    const result = await embed(el, spec, {
      renderer: "svg",
      ast: true,
      actions: false,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    });
    const svg = el.querySelector("svg")!.getBoundingClientRect();
    const labels = Array.from(el.querySelectorAll(".role-legend-label text")).map((t) => t.textContent ?? "");
    let overflow = 0;
    for (const legend of Array.from(el.querySelectorAll(".role-legend"))) {
      const box = legend.getBoundingClientRect();
      overflow = Math.max(overflow, svg.left - box.left, box.right - svg.right, svg.top - box.top, box.bottom - svg.bottom);
    }
    result.finalize();
    el.remove();
    return { labels, overflow };
  }, path);
}

/** Chart boxes whose drawing is wider or taller than the box shows (a legend cut off by the page). */
async function clippedBoxes(page: Page): Promise<string[]> {
  return page.$$eval("[data-chart]", (els) =>
    els
      .filter((el) => {
        const box = el.closest(".chart-box")!;
        return box.scrollWidth > box.clientWidth + 1;
      })
      .map((el) => (el as HTMLElement).dataset.chart!),
  );
}

describe("pages in headless Chromium", { skip: skip ?? undefined }, () => {
  test("studies: grouped by experiment, hostile names shown as text", async () => {
    const { page, watch } = await ui.open("/");
    await page.waitForSelector("table.studies");
    const text = await page.textContent("main");
    assert.ok(
      text!.includes(XSS.flagName) && text!.includes(XSS.alertName) && text!.includes(XSS.experiment),
      "payloads appear as literal text",
    );
    assert.equal(await page.locator("main img, main svg, main script, main b").count(), 0, "no element was made from a payload");
    assert.equal(await page.locator("tr[data-study]").count(), 5 + 2 + mo.repeats.length);
    const zdt = (await page.textContent(`tr[data-study="${mo.zdt}"]`))!;
    assert.match(zdt, /maximize, minimize/);
    assert.match(zdt, /HV [\d.]+ · front \d+/, "a hypervolume and the front's size instead of a best value");
    await screenshot(page, "studies");
    await assertClean(page, watch);
    await page.close();
  });

  test("the Content-Security-Policy is in force: an injected inline script does not run", async () => {
    const { page, watch } = await ui.open("/");
    await page.waitForSelector("table.studies");
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
      const script = document.createElement("script");
      script.textContent = "window.__inline = 1";
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { ran: (window as unknown as { __inline?: number }).__inline !== undefined, violations };
    });
    assert.equal(outcome.ran, false);
    assert.ok(
      outcome.violations.some((d) => d.startsWith("script-src")),
      `violations: ${outcome.violations.join(", ")}`,
    );
    assert.ok(
      watch.errors.length > 0 && watch.errors.every((e) => /Content Security Policy/.test(e)),
      "the refusal is logged, and nothing else",
    );
    await page.close();
  });

  test("study: every chart drawn, and the page follows a running study", async () => {
    const { page, watch } = await ui.open(`/studies/${fx.main}`);
    await assertChartsDrawn(page, STUDY_CHARTS);
    await screenshot(page, "study");
    const before = await page.textContent(".facts");
    const count = (await writer.getAllTrials(fx.main)).length;
    await writer.createTrial(fx.main, {
      state: "COMPLETE",
      params: { x: 1, lr: 0.01, depth: 3, kind: "rbf" },
      distributions: DISTRIBUTIONS,
      value: -1,
      userAttrs: { fold_scores: [-1.1, -0.9, -1, -1.05, -0.95] },
    });
    await page.waitForFunction((n) => document.querySelector(".facts")?.textContent?.includes(`trials: ${n}`), count + 1, {
      timeout: 10_000,
    });
    assert.notEqual(await page.textContent(".facts"), before);
    assert.match((await page.textContent(".facts"))!, /best: -1 \(trial \d+\)/);
    await assertClean(page, watch);
    await page.close();
  });

  test("study with hostile names: charts drawn, nothing runs", async () => {
    for (const id of [fx.xss, fx.alert]) {
      const { page, watch } = await ui.open(`/studies/${id}`);
      await assertChartsDrawn(page, ["history", "slice", "edf"]);
      assert.ok((await page.textContent("#study-name"))!.startsWith("<img"));
      await screenshot(page, `study-xss-${id}`);
      await assertClean(page, watch);
      await page.close();
    }
  });

  test("trials: server-side sorting, state filter and paging", async () => {
    const { page, watch } = await ui.open(`/studies/${fx.main}/trials?limit=25`);
    await page.waitForSelector("#trials-table tbody tr");
    assert.equal(await page.locator("#trials-table tbody tr").count(), 25);
    await page.click('th[data-sort="value"]');
    await page.waitForFunction(
      () => location.search.includes("sort=value") && document.querySelector("th.sorted-asc")?.getAttribute("data-sort") === "value",
    );
    const values = await page.$$eval("#trials-table tbody tr td:nth-child(3)", (tds) => tds.map((td) => Number(td.textContent)));
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
    );
    await page.click('input[data-state="PRUNED"]');
    await page.waitForFunction(() => location.search.includes("state=PRUNED"));
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("#trials-table tbody tr td:nth-child(2)")).every((td) => td.textContent === "PRUNED"),
    );
    await screenshot(page, "trials");
    await assertClean(page, watch);
    await page.close();
  });

  test("trial: params, intermediate values, fold scores; a failed trial's hostile error as text", async () => {
    const complete = (await writer.getAllTrials(fx.main, { states: ["COMPLETE"] }))[0];
    const { page, watch } = await ui.open(`/studies/${fx.main}/trials/${complete.number}`);
    await page.waitForSelector("#params-table");
    await page.waitForSelector('[data-chart="intermediate"] svg, [data-chart="intermediate"] canvas');
    assert.equal(await page.locator("#fold-scores tr").count(), 5);
    await screenshot(page, "trial");
    await assertClean(page, watch);
    await page.close();

    const failed = (await writer.getAllTrials(fx.xss, { states: ["FAIL"] }))[0];
    const hostile = await ui.open(`/studies/${fx.xss}/trials/${failed.number}`);
    await hostile.page.waitForSelector("#trial-error");
    assert.equal(await hostile.page.textContent("#trial-error"), XSS.error);
    assert.ok((await hostile.page.textContent("#params-table"))!.includes(XSS.param));
    await screenshot(hostile.page, "trial-xss");
    await assertClean(hostile.page, hostile.watch);
    await hostile.page.close();
  });

  test("compare: best-so-far and fold charts, mean ± std, the paired tests", async () => {
    const { page, watch } = await ui.open(`/compare?studies=${fx.main},${fx.twin}`);
    await assertChartsDrawn(page, ["best-so-far", "folds"]);
    assert.equal(await page.locator("#compare-table tbody tr").count(), 2);
    assert.match((await page.textContent("#compare-table"))!, /±/);
    assert.match((await page.textContent("#compare-test"))!, /corrected resampled t-test.*Wilcoxon signed-rank/s);
    await screenshot(page, "compare");
    await assertClean(page, watch);
    await page.close();

    const hostile = await ui.open(`/compare?studies=${fx.xss},${fx.alert},${fx.main}`);
    await assertChartsDrawn(hostile.page, ["best-so-far", "folds"]);
    assert.ok((await hostile.page.textContent("#compare-table"))!.includes(XSS.flagName));
    await screenshot(hostile.page, "compare-xss");
    await assertClean(hostile.page, hostile.watch);
    await hostile.page.close();
  });

  test("study and compare pages: no console message about Vega-Lite versions", async () => {
    for (const path of [`/studies/${fx.main}`, `/compare?studies=${fx.main},${fx.twin}`]) {
      const { page, watch } = await ui.open(path);
      await page.waitForFunction(() => document.documentElement.dataset.chartsDone === "1", null, { timeout: 20_000 });
      assert.deepEqual(
        watch.console.filter((line) => /version|v5|v6/i.test(line)),
        [],
        `${path}: ${watch.console.join("\n")}`,
      );
      await assertClean(page, watch);
      await page.close();
    }
  });

  test("parameters named constructor, __proto__, toString: charts drawn, blank cells where a trial lacks one", async () => {
    const float: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
    const choices = ["toString", "valueOf", "if"];
    const choice: DistributionJson = { name: "CategoricalDistribution", attributes: { choices } };
    const id = await writer.createStudy({ name: "toString", direction: "minimize" });
    const names = ["constructor", "__proto__", "toString", null] as const;
    for (let i = 0; i < 16; i++) {
      const params: Record<string, number | string> = { x: i / 16 };
      const distributions: Record<string, DistributionJson> = { x: float };
      const name = names[i % 4];
      if (name !== null) {
        Object.defineProperty(params, name, {
          value: name === "toString" ? choices[i % 3] : (i % 5) / 5,
          enumerable: true,
        });
        Object.defineProperty(distributions, name, { value: name === "toString" ? choice : float, enumerable: true });
      }
      await writer.createTrial(id, { state: "COMPLETE", params, distributions, value: (i % 7) / 7 });
    }
    const study = await ui.open(`/studies/${id}`);
    await assertChartsDrawn(study.page, STUDY_CHARTS);
    await screenshot(study.page, "study-prototype-names");
    await assertClean(study.page, study.watch);
    await study.page.close();

    const table = await ui.open(`/studies/${id}/trials?sort=param:constructor&limit=100`);
    await table.page.waitForSelector("#trials-table tbody tr");
    const column = await table.page.$$eval('th[data-sort="param:constructor"]', (ths) =>
      ths.map((th) => Array.from(th.parentElement!.children).indexOf(th)),
    );
    assert.equal(column.length, 1);
    const cells = await table.page.$$eval(
      "#trials-table tbody tr",
      (rows, index) => rows.map((row) => row.children[index]?.textContent ?? ""),
      column[0],
    );
    assert.equal(cells.length, 16);
    assert.deepEqual(cells.slice(4), Array(12).fill(""), "trials without the parameter show nothing, last");
    assert.ok(
      cells.slice(0, 4).every((c) => /^0(\.\d+)?$/.test(c)),
      cells.join(" | "),
    );
    await assertClean(table.page, table.watch);
    await table.page.close();
    await writer.deleteStudy(id);
  });

  test("study with a locked test set: how often it was used, and validation against test drawn, legend whole", async () => {
    const id = await writer.createStudy({ name: "locked test set", direction: "maximize" });
    const x: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
    for (let i = 0; i < 20; i++) {
      await writer.createTrial(id, {
        state: "COMPLETE",
        params: { x: i / 20 },
        distributions: { x },
        value: 0.8 + 0.1 * Math.sqrt(i / 20),
      });
    }
    const look = (trialNumber: number, test: number) => ({
      at: "2024-05-01T10:00:00.000Z",
      trialNumber,
      validation: 0.8 + 0.1 * Math.sqrt(trialNumber / 20),
      test,
    });
    await writer.setStudySystemAttr(id, LOCKBOX_ATTR, {
      testRows: 30,
      fingerprint: "0123456789abcdef",
      looks: [look(9, 0.84), look(19, 0.86)],
    });
    const { page, watch } = await ui.open(`/studies/${id}`);
    await assertChartsDrawn(page, ["history", "lockbox"]);
    assert.match(
      (await page.textContent("#test-set"))!,
      /^test set: used 2 times \(30 rows; last: test 0\.86 for trial 19, validation 0\.8975\)$/,
    );
    const legend = await legendOf(page, `/api/studies/${id}/charts/lockbox`);
    assert.deepEqual(legend.labels, [
      "Best validation value so far",
      "Validation value of the scored trial",
      "Test score (locked test set)",
    ]);
    assert.equal(legend.overflow, 0);
    assert.deepEqual(await clippedBoxes(page), [], "every chart fits its box");
    await screenshot(page, "study-lockbox");
    await assertClean(page, watch);
    await page.close();
    await writer.deleteStudy(id);
  });

  test("study with two objectives: Pareto front, hypervolume and importance per objective drawn, legends whole", async () => {
    const { page, watch } = await ui.open(`/studies/${mo.zdt}`);
    const kinds = kindsFor({ directions: ["maximize", "minimize"] });
    await assertChartsDrawn(page, kinds);
    assert.match((await page.textContent(".facts"))!, /Pareto front: \d+ trials?.*hypervolume: [\d.]+ \(reference point/s);
    assert.deepEqual(await clippedBoxes(page), [], "every chart fits its box");
    const front = await legendOf(page, `/api/studies/${mo.zdt}/charts/pareto-front`);
    assert.deepEqual(front.labels, ["On the Pareto front", "Dominated (feasible)", "Infeasible"]);
    assert.ok(front.overflow <= 0, `the front's legend reaches ${front.overflow}px outside the chart`);
    const importance = await legendOf(page, `/api/studies/${mo.zdt}/charts/objective-importance`);
    assert.deepEqual(importance.labels, ["accuracy (maximize)", "size (minimize)"]);
    assert.ok(importance.overflow <= 0, `the importance legend reaches ${importance.overflow}px outside the chart`);
    await screenshot(page, "study-multi-objective");
    // The objective picker redraws the per-objective charts with the other objective.
    const redrawn = page.waitForResponse((r) => r.url().includes("/charts/history?objective=1"));
    await page.selectOption("#objective", "1");
    await redrawn;
    await page.waitForFunction(() => location.search.includes("objective=1"));
    await assertChartsDrawn(page, ["history", "slice", "contour"]);
    assert.deepEqual(
      watch.console.filter((line) => /warn|error/i.test(line)),
      [],
      "no Vega warning or error",
    );
    await assertClean(page, watch);
    await page.close();
  });

  test("study with three objectives: a scatter per pair of objectives", async () => {
    const { page, watch } = await ui.open(`/studies/${mo.three}`);
    await assertChartsDrawn(page, ["pareto-front", "hypervolume", "objective-importance", "history"]);
    assert.deepEqual(await clippedBoxes(page), []);
    const front = await legendOf(page, `/api/studies/${mo.three}/charts/pareto-front`);
    assert.deepEqual(front.labels, ["On the Pareto front", "Dominated (feasible)"], "no infeasible entry without constraints");
    assert.ok(front.overflow <= 0);
    await screenshot(page, "study-three-objectives");
    assert.deepEqual(
      watch.console.filter((line) => /warn|error/i.test(line)),
      [],
    );
    await assertClean(page, watch);
    await page.close();
  });

  test("trials of a study with several objectives: a column per objective and constraint, sorted and filtered", async () => {
    const { page, watch } = await ui.open(`/studies/${mo.zdt}/trials?limit=100`);
    await page.waitForSelector("#trials-table tbody tr");
    const headers = await page.$$eval("#trials-table th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(headers.slice(0, 7), [
      "number",
      "state",
      "accuracy (maximize)",
      "size (minimize)",
      "constraints[0]",
      "budget",
      "feasible",
    ]);
    await page.click('th[data-sort="objective:1"]');
    await page.waitForFunction(() => document.querySelector("th.sorted-asc")?.getAttribute("data-sort") === "objective:1");
    const sizes = await page.$$eval("#trials-table tbody tr td:nth-child(4)", (tds) => tds.map((td) => Number(td.textContent)));
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => a - b),
    );
    await page.selectOption("#feasible-filter", "false");
    await page.waitForFunction(() => location.search.includes("feasible=false"));
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("#trials-table tbody tr td:nth-child(7)")).every((td) => td.textContent === "no"),
    );
    await screenshot(page, "trials-multi-objective");
    await assertClean(page, watch);
    await page.close();
  });

  test("compare studies with several objectives: hypervolumes, repeats over seeds and the paired tests", async () => {
    const { page, watch } = await ui.open(`/compare?studies=${mo.repeats.join(",")}`);
    await assertChartsDrawn(page, ["hypervolume-so-far"]);
    assert.equal(await page.locator("#compare-table tbody tr").count(), mo.repeats.length);
    assert.equal(await page.locator("#compare-groups tbody tr").count(), 2);
    assert.match((await page.textContent("#reference-point"))!, /accuracy \(maximize\) [-\d.]+, size \(minimize\) [\d.]+/);
    assert.match(
      (await page.textContent("#compare-test"))!,
      /paired t-test \(independent runs: no overlap correction\).*Wilcoxon signed-rank/s,
    );
    assert.deepEqual(await clippedBoxes(page), []);
    await screenshot(page, "compare-multi-objective");
    assert.deepEqual(
      watch.console.filter((line) => /warn|error/i.test(line)),
      [],
    );
    await assertClean(page, watch);
    await page.close();
  });

  test("refine: a narrowed space as code to copy", async () => {
    const { page, watch } = await ui.open(`/studies/${fx.main}/refine`);
    await page.waitForSelector("#refine-code");
    const code = (await page.textContent("#refine-code"))!;
    for (const name of ["x", "lr", "depth", "kind"]) assert.ok(code.includes(name), `${name} in the code`);
    await screenshot(page, "refine");
    await assertClean(page, watch);
    await page.close();
  });
});
