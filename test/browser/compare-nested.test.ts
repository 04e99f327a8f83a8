import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Storage } from "../../tracker/storage/storage.js";
import { buildFixture, type Fixture, XSS } from "../tracker/server/fixture.js";
import { buildNestedFixture, irisRun, NESTED_EXPERIMENT, type NestedFixture, SEARCHES } from "../tracker/server/nested-fixture.js";
import { assertClean } from "./assert-clean.js";
import { browserUnavailable, type PageWatch, screenshot } from "./chromium.js";
import { openUiSession, type UiSession } from "./ui-session.js";

/**
 * The compare page over nested cross-validation runs, in headless Chromium: the runs by
 * their outer scores (the default when there are any), the chart of outer scores per
 * fold, the chosen parameters, the paired tests, and the toggle back to best trials.
 */
const skip = browserUnavailable();

let ui: UiSession;
let fx: Fixture;
let nested: NestedFixture;
const HOSTILE_EXPERIMENT = "hostile-nested";

before(async () => {
  if (skip) return;
  ui = await openUiSession(
    "compare-nested",
    async (w: Storage) => {
      fx = await buildFixture(w);
      nested = await buildNestedFixture(w);
      await irisRun(w, XSS.flagName, SEARCHES.knn, { outer: 2, inner: 2, nTrials: 2, experiment: HOSTILE_EXPERIMENT });
      await irisRun(w, XSS.alertName, SEARCHES.nb, { outer: 2, inner: 2, nTrials: 2, experiment: HOSTILE_EXPERIMENT });
    },
    300,
  );
});

after(async () => {
  if (skip) return;
  await ui?.close();
});

async function open(path: string): Promise<{ page: Page; watch: PageWatch }> {
  const watched = await ui.open(path);
  await chartsDone(watched.page);
  return watched;
}

async function chartsDone(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.chartsDone === "1", null, { timeout: 20_000 });
}

async function assertDrawn(page: Page, name: string): Promise<void> {
  const drawn = await page.$eval(`[data-chart="${name}"]`, (el) => el.querySelector("svg, canvas") !== null);
  assert.ok(drawn, `chart ${name} is drawn`);
  const clipped = await page.$eval(`[data-chart="${name}"]`, (el) => {
    const box = el.closest(".chart-box")!;
    return box.scrollWidth > box.clientWidth + 1;
  });
  assert.equal(clipped, false, `chart ${name} fits its box`);
}

async function studyId(name: string): Promise<number> {
  return ui.writer.getStudyIdByName(name);
}

describe("compare page with nested runs, in headless Chromium", { skip: skip ?? undefined }, () => {
  test("an experiment of nested runs: ranked by outer scores, chart, parameters, tests; inner studies linked", async () => {
    const { page, watch } = await open(`/compare?experiment=${NESTED_EXPERIMENT}`);
    assert.equal(await page.isChecked("#compare-by-nested"), true, "the nested comparison is the default");
    assert.match((await page.textContent("#nested-why"))!, /never saw.*winner's curse.*honest comparison/);
    await assertDrawn(page, "nested-outer");

    const ranked = [nested.knn, nested.tree, nested.nb].sort((a, b) => b.mean - a.mean);
    const rows = page.locator("#nested-table tbody tr");
    assert.equal(await rows.count(), 4);
    for (const [i, run] of ranked.entries()) {
      const cells = await rows.nth(i).locator("td").allTextContents();
      assert.equal(cells[0], run.name);
      assert.equal(cells[3], `${Number(run.mean.toPrecision(6))} ± ${Number(run.std.toPrecision(6))}`);
      assert.equal(cells[6], "");
    }
    assert.match((await rows.nth(3).textContent())!, /nb-kfold.*not ranked/);
    assert.match((await page.textContent("p.excluded"))!, /^nb-kfold is not ranked: other outer folds \(outer fold 1 tests other rows\)/);
    const link = rows.nth(0).locator("a").first();
    assert.equal(await link.getAttribute("href"), `/studies/${await studyId(`${ranked[0].name}/outer-1`)}`);

    assert.equal(await page.locator("#nested-params table").count(), 4);
    const firstParams = (await page.locator("#nested-params table").first().textContent())!;
    for (const choice of ranked[0].chosen) assert.ok(firstParams.includes(choice.study));
    assert.match(firstParams, /stability.*same configuration in \d of 5/);

    const test = (await page.textContent("#nested-test"))!;
    assert.match(test, new RegExp(`The best run, ${ranked[0].name}, and the next, ${ranked[1].name}, paired over their 5 outer folds`));
    assert.match(test, /corrected resampled t-test \(Nadeau & Bengio\) with n_test \/ n_train = 30 \/ 120.*Wilcoxon signed-rank/s);
    assert.equal(await page.locator("#nested-tests tbody tr").count(), 2);
    await screenshot(page, "compare-nested");
    await assertClean(page, watch);
    await page.close();
  });

  test("the toggle switches to best trials and back, and the address keeps the choice", async () => {
    const ids = [await studyId("knn/outer-1"), await studyId("nb/outer-1")];
    const { page, watch } = await open(`/compare?studies=${ids.join(",")}`);
    assert.equal(await page.locator("#nested-table tbody tr").count(), 2, "both runs, whole");
    await page.uncheck("#compare-by-nested");
    await chartsDone(page);
    await assertDrawn(page, "best-so-far");
    assert.equal(await page.locator("#compare-table tbody tr").count(), 2);
    assert.equal(await page.locator("#nested-table").count(), 0);
    assert.match(page.url(), /[?&]by=best/);
    await page.reload();
    await chartsDone(page);
    assert.equal(await page.isChecked("#compare-by-nested"), false);
    assert.equal(await page.locator("#compare-table tbody tr").count(), 2);
    await page.check("#compare-by-nested");
    await chartsDone(page);
    await assertDrawn(page, "nested-outer");
    assert.equal(await page.locator("#nested-table tbody tr").count(), 2);
    await assertClean(page, watch);
    await page.close();
  });

  test("studies of no nested run: the page is as before, with no toggle", async () => {
    const { page, watch } = await open(`/compare?studies=${fx.main},${fx.twin}`);
    assert.equal(await page.locator("#compare-by-nested").count(), 0);
    assert.equal(await page.locator("#compare-table tbody tr").count(), 2);
    await assertClean(page, watch);
    await page.close();
  });

  test("hostile run names are shown as text", async () => {
    const { page, watch } = await open(`/compare?experiment=${HOSTILE_EXPERIMENT}`);
    await assertDrawn(page, "nested-outer");
    const table = (await page.textContent("#nested-table"))!;
    assert.ok(table.includes(XSS.flagName) && table.includes(XSS.alertName));
    assert.equal(await page.locator("main img, main script").count(), 0);
    await assertClean(page, watch);
    await page.close();
  });
});
