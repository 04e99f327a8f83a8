import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { DistributionJson, TrialState } from "../../core/records.js";
import { matchesTrialFilter, parseTrialFilter } from "../../core/trial-filter/index.js";
import { browserUnavailable, screenshot, watchedPage } from "./chromium.js";
import { openUiSession, type UiSession } from "./ui-session.js";

/**
 * The trials table's filter box and saved views in real Chromium: a filter narrows the
 * rows to what the evaluator says match, a bad one is marked where it is wrong, and a
 * saved view's URL alone shows the same rows in a fresh browser.
 */
const skip = browserUnavailable();

const K: DistributionJson = { name: "IntDistribution", attributes: { low: 1, high: 20, log: false, step: 1 } };
const LR: DistributionJson = { name: "FloatDistribution", attributes: { low: 1e-4, high: 1, log: true, step: null } };
const OPT: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: ["adam", "sgd", "rmsprop"] } };
const STATES: TrialState[] = ["COMPLETE", "COMPLETE", "COMPLETE", "PRUNED", "FAIL"];
const FILTER = 'params.k > 5 and (params.optimizer = "adam" or value >= 0.8)';

let ui: UiSession;
let studyId: number;

before(async () => {
  if (skip) return;
  ui = await openUiSession(
    "views",
    async (w) => {
      studyId = await w.createStudy({ name: "mlp", direction: "maximize" });
      for (let i = 0; i < 40; i++) {
        const state = STATES[i % STATES.length];
        const start = new Date(2026, 0, 1, 9, 0, i * 7);
        await w.createTrial(studyId, {
          state,
          params: { k: 1 + ((i * 7) % 20), lr: 10 ** -(1 + (i % 4)), optimizer: OPT.attributes.choices[i % 3] },
          distributions: { k: K, lr: LR, optimizer: OPT },
          value: state === "FAIL" ? null : ((i * 37) % 100) / 100,
          datetimeStart: start,
          datetimeComplete: new Date(start.getTime() + 1000 + i * 150),
        });
      }
    },
    300,
  );
});

after(async () => {
  if (skip) return;
  await ui?.close();
});

/** Trial numbers of the table's rows, once the table shows `count` rows. */
async function rowsOnceThere(page: Page, count: number): Promise<number[]> {
  await page.waitForFunction((n) => document.querySelectorAll("#trials-table tbody tr td:first-child a").length === n, count, {
    timeout: 15_000,
  });
  return page.$$eval("#trials-table tbody tr td:first-child a", (links) => links.map((a) => Number(a.textContent)));
}

async function expectedNumbers(filter: string, byValueDesc: boolean): Promise<number[]> {
  const where = parseTrialFilter(filter);
  const matching = (await ui.writer.getAllTrials(studyId)).filter((t) => matchesTrialFilter(where, t));
  if (byValueDesc) matching.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || a.number - b.number);
  return matching.map((t) => t.number);
}

describe("trial views in Chromium", { skip: skip ?? false }, () => {
  test("a filter narrows the rows, a bad one is marked, a saved view's URL shows the same rows anywhere", async () => {
    const { page, watch } = await watchedPage(ui.browser);
    await page.goto(ui.url(`/studies/${studyId}/trials`));
    assert.equal((await rowsOnceThere(page, 40)).length, 40);

    // Type a filter: the rows narrow to what the evaluator says.
    const expected = await expectedNumbers(FILTER, false);
    assert.ok(expected.length > 3 && expected.length < 40, `the filter keeps some rows (${expected.length})`);
    await page.fill("#where-filter", FILTER);
    await page.press("#where-filter", "Enter");
    assert.deepEqual(await rowsOnceThere(page, expected.length), expected);
    assert.equal(new URL(page.url()).searchParams.get("where"), FILTER);

    // Sort by value, twice: descending.
    await page.click('th[data-sort="value"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get("order") === "asc");
    await page.click('th[data-sort="value"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get("order") === "desc");
    const sorted = await expectedNumbers(FILTER, true);
    await page.waitForFunction(
      (first) => document.querySelector("#trials-table tbody tr td:first-child a")?.textContent === String(first),
      sorted[0],
    );
    assert.deepEqual(await rowsOnceThere(page, sorted.length), sorted);

    // Save the view under a name: a link to exactly this URL.
    await page.fill("#view-name", "big k, adam or good");
    await page.click("#view-save");
    const link = page.locator('#saved-views a[data-view="big k, adam or good"]');
    await link.waitFor();
    const href = await link.getAttribute("href");
    const viewUrl = new URL(href!, page.url());
    assert.equal(viewUrl.searchParams.get("where"), FILTER);
    assert.equal(viewUrl.searchParams.get("sort"), "value");
    assert.equal(viewUrl.searchParams.get("order"), "desc");
    await screenshot(page, "trials-filter");

    // A bad filter: its error is shown at its position, with the filter kept in the box.
    await page.fill("#where-filter", "params.k == 5");
    await page.press("#where-filter", "Enter");
    const error = page.locator("#where-error");
    await error.waitFor();
    assert.match((await error.textContent()) ?? "", /unexpected "==" at 10; did you mean "params\.k = 5"\?/);
    assert.equal(await page.locator("#where-error mark").textContent(), "==");
    assert.equal(await page.inputValue("#where-filter"), "params.k == 5");
    await screenshot(page, "trials-filter-error");

    // A misspelled parameter matches nothing: the page says which parameters there are.
    await page.fill("#where-filter", "params.kk > 5");
    await page.press("#where-filter", "Enter");
    const hint = page.locator("#where-hint");
    await hint.waitFor();
    assert.match((await hint.textContent()) ?? "", /No trial has the parameter "kk".*Did you mean params\.k for params\.kk\?/);
    await screenshot(page, "trials-filter-hint");

    // The saved view is still listed; following it restores its rows.
    await page.click('#saved-views a[data-view="big k, adam or good"]');
    assert.deepEqual(await rowsOnceThere(page, sorted.length), sorted);
    assert.deepEqual(
      watch.errors.filter((e) => !/status of 400/.test(e)),
      [],
    );
    await page.close();

    // A fresh browser context (no saved views, no history): the URL alone shows the same rows.
    const context = await ui.browser.newContext();
    try {
      const fresh = await context.newPage();
      await fresh.goto(viewUrl.toString());
      assert.deepEqual(await rowsOnceThere(fresh, sorted.length), sorted);
      assert.equal(await fresh.inputValue("#where-filter"), FILTER);
      assert.equal(await fresh.locator("#saved-views a").count(), 0);
    } finally {
      await context.close();
    }
  });
});
