import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { readCsv } from "../../learn/datasets.js";
import { createStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";
import { captureProvenance, recordProvenance } from "../../tune/provenance.js";
import { type Provenance, readProvenance } from "../../tune/provenance-record.js";
import { assertClean } from "./assert-clean.js";
import { ARTIFACTS, browserUnavailable, screenshot } from "./chromium.js";
import { openUiSession, type UiSession } from "./ui-session.js";

/**
 * Notes, tags, search, provenance and the diff page in real headless Chromium, over studies
 * made with the engine's API (so provenance is captured as a run captures it): the note is
 * rendered and inert, tags filter the studies list through the URL, the search narrows it,
 * the provenance panel shows the commit and the datasets, and the diff page names what differs.
 */
const skip = browserUnavailable();
setVerbosity("silent");

/** A note carrying every kind of payload the renderer must leave inert, and some real Markdown. */
const NOTE = [
  "# Findings",
  "",
  "Small `alpha` wins; see [ok](https://example.org) and **bold** text.",
  "",
  "- first point",
  "- second point with `code`",
  "",
  "<script>window.__xss=1</script>",
  '<img src=x onerror="window.__xss=2">',
  "[click](javascript:window.__xss=3)",
  "",
  "```",
  "study.optimize(objective, { nTrials: 8 })",
  "```",
].join("\n");
/** A notebook cell long enough that the panel must scroll it rather than grow. */
const CELL = [
  "%%tune ridge-alpha --trials 40",
  "const data = await readCsv('houses.csv');",
  ...Array.from(
    { length: 30 },
    (_, i) => `const feature${i} = data['rooms'].mul(${i + 1}); // a derived feature, one of many, each on a line of its own`,
  ),
  "return crossValidate(new Ridge({ alpha: trial.suggestFloat('alpha', 1e-4, 10, { log: true }) }), data).mean;",
].join("\n");
/** As long as a tag may be: its chip is cut short, the whole tag in its title. */
const LONG_TAG = "alpha-sweep-on-the-cleaned-2024-housing-extract-with-outliers-v3";
const TRIAL_NOTE = "## Why trial 0\n\nThe **first** trial, kept as a *baseline*; compare with <https://example.org/runs>.";

interface Made {
  id: number;
  name: string;
  best: number;
  provenance: Provenance;
}

let ui: UiSession;
let dataDir: string;
/** Two studies of one experiment on a CSV whose content changed between them (and another seed), and one elsewhere. */
let baseline: Made;
let newData: Made;
let forest: Made;

before(async () => {
  if (skip) return;
  dataDir = mkdtempSync(join(tmpdir(), "tunebook-provenance-data-"));
  const csv = join(dataDir, "houses.csv");
  ui = await openUiSession(
    "provenance",
    async (w) => {
      const make = async (name: string, experiment: string, seed: number, offset: number, tags: string[], note?: string) => {
        const study = await createStudy({ storage: w, name, experiment, seed, sampler: "random", direction: "minimize" });
        await study.optimize(
          (trial) => {
            const x = trial.suggestFloat("x", -2, 2);
            if (trial.number === 0 && note === NOTE) trial.setNote(TRIAL_NOTE);
            return offset + x * x;
          },
          { nTrials: 6 },
        );
        if (note) await study.setNote(note);
        await study.addTags(...tags);
        const summary = await study.summary();
        const best = (await study.best()).value;
        assert.equal(typeof best, "number");
        return { id: study.studyId, name, best: best as number, provenance: readProvenance(summary.systemAttrs)! };
      };
      writeFileSync(csv, "rooms,price\n3,100\n4,150\n5,210\n");
      await readCsv(csv);
      baseline = await make("ridge-alpha", "housing", 1, 0, ["baseline", "ridge", LONG_TAG], NOTE);
      // Continued from a notebook: a second run, with its cell.
      await recordProvenance(w, baseline.id, { ...captureProvenance({ seed: 1, run: "notebook run" }), cell: CELL });
      baseline.provenance = readProvenance((await w.getStudy(baseline.id)).systemAttrs)!;
      writeFileSync(csv, "rooms,price\n3,100\n4,150\n5,210\n6,260\n");
      await readCsv(csv);
      newData = await make("ridge-alpha-new-data", "housing", 2, 0, ["ridge", "new-data"]);
      forest = await make("forest-depth", "wine", 1, 10, ["forest"]);
    },
    300,
  );
});

after(async () => {
  if (skip) return;
  await ui?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The page fits the window's width: no long hash, path, cell or tag pushes it sideways. */
async function assertFitsWidth(page: Page): Promise<void> {
  const { scroll, shown } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, shown: window.innerWidth }));
  assert.ok(scroll <= shown, `the page is ${scroll} pixels wide in a ${shown}-pixel window`);
}

/** The ids of the studies the list shows, sorted. */
async function listed(page: Page): Promise<number[]> {
  const ids = await page.$$eval("tr[data-study]", (rows) => rows.map((r) => Number((r as HTMLElement).dataset.study)));
  return ids.sort((a, b) => a - b);
}

const ids = (...made: Made[]) => made.map((m) => m.id).sort((a, b) => a - b);

/** Types a search and waits until the list shows `expected`. */
async function search(page: Page, q: string, expected: number[]): Promise<void> {
  await page.fill("#study-search", q);
  await page.waitForFunction(
    (want) => {
      const rows = Array.from(document.querySelectorAll("tr[data-study]")).map((r) => Number((r as HTMLElement).dataset.study));
      return JSON.stringify(rows.sort((a, b) => a - b)) === want;
    },
    JSON.stringify(expected),
    { timeout: 5000 },
  );
  assert.deepEqual(await listed(page), expected, `search ${JSON.stringify(q)}`);
}

describe("notes, tags, provenance and diff in headless Chromium", { skip: skip ?? undefined }, () => {
  test("the study's note renders as Markdown and nothing in it is active", async () => {
    const { page, watch } = await ui.open(`/studies/${baseline.id}`);
    await page.waitForSelector("#study-note");
    assert.equal(await page.textContent("#study-note h1"), "Findings");
    assert.equal(await page.locator('#study-note a[href="https://example.org"]').textContent(), "ok");
    assert.equal(await page.locator("#study-note li").count(), 2);
    assert.match((await page.textContent("#study-note pre code"))!, /study\.optimize/);
    assert.equal(
      await page.locator("#study-note script, #study-note img, #study-note iframe").count(),
      0,
      "no element from the note's HTML",
    );
    assert.equal(await page.locator('a[href^="javascript:" i]').count(), 0, "no javascript: link");
    assert.deepEqual(
      await page.$$eval("#study-note a", (as) => as.map((a) => a.getAttribute("href"))),
      ["https://example.org"],
      "the note's one safe link is its only link",
    );
    const noteText = (await page.textContent("#study-note"))!;
    assert.ok(noteText.includes("<script>window.__xss=1</script>"), "the script tag is shown as text");
    assert.ok(noteText.includes('<img src=x onerror="window.__xss=2">'), "the img tag is shown as text");
    await page.getByText("[click](javascript:window.__xss=3)").click();
    await assertClean(page, watch);
    assert.deepEqual(await page.$$eval("#study-tags a.tag", (as) => as.map((a) => a.textContent)), [LONG_TAG, "baseline", "ridge"]);
    await page.close();
  });

  test("the provenance panel shows the commit and the dataset's short hash, the full hash on hover", async () => {
    const { page, watch } = await ui.open(`/studies/${baseline.id}`);
    await page.waitForSelector("#provenance summary");
    assert.equal(await page.locator("#provenance-datasets").isVisible(), false, "the panel starts closed");
    await page.click("#provenance summary");
    const c = baseline.provenance.latest;
    if (c.git.commit === null) assert.equal(await page.textContent("#provenance-commit"), "not in a git repository");
    else {
      assert.equal(await page.textContent("#provenance-commit"), c.git.commit.slice(0, 12));
      assert.equal(await page.getAttribute("#provenance-commit", "title"), c.git.commit, "the full commit on hover");
    }
    assert.equal(await page.locator("#provenance summary .dirty").count(), c.git.dirty ? 1 : 0, "a dirty tree is marked");
    assert.match((await page.textContent("#provenance summary"))!, /2 runs/);
    const dataset = c.datasets.find((d) => d.name === "houses.csv");
    assert.ok(dataset, "the dataset read before the run is recorded");
    const row = page.locator("#provenance-datasets tbody tr", { hasText: "houses.csv" });
    assert.equal(await row.locator("code").textContent(), dataset.sha256.slice(0, 12));
    assert.equal(await row.locator("code").getAttribute("title"), dataset.sha256);
    assert.match((await row.textContent())!, /houses\.csv\s*3\s*2/, "3 rows, 2 columns");
    assert.equal(await page.textContent("#provenance-cell"), CELL);
    const cell = await page.$eval("#provenance-cell", (el) => ({ scroll: el.scrollHeight, shown: el.clientHeight }));
    assert.ok(cell.scroll > cell.shown, `the long cell scrolls inside its box (${cell.scroll} > ${cell.shown} pixels)`);
    await assertFitsWidth(page);
    // The page down to the study's links under the panel (the charts below are other tests' subject).
    const bottom = await page.$eval("#study-meta", (el) => el.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({
      path: new URL("provenance-study.png", ARTIFACTS).pathname,
      clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 60 },
      fullPage: true,
    });
    await assertClean(page, watch);
    await page.close();
  });

  test("the trial's note renders", async () => {
    const { page, watch } = await ui.open(`/studies/${baseline.id}/trials/0`);
    await page.waitForSelector("#trial-note");
    assert.equal(await page.textContent("#trial-note h2"), "Why trial 0");
    assert.equal(await page.textContent("#trial-note strong"), "first");
    assert.equal(await page.textContent("#trial-note em"), "baseline");
    assert.equal(await page.locator('#trial-note a[href="https://example.org/runs"]').count(), 1);
    await assertFitsWidth(page);
    await screenshot(page, "trial-note");
    await assertClean(page, watch);
    await page.close();
  });

  test("tags show as chips; clicking one filters the list, the URL keeps the filter across a reload", async () => {
    const { page, watch } = await ui.open("/");
    await page.waitForSelector("table.studies");
    assert.deepEqual(await listed(page), ids(baseline, newData, forest));
    assert.deepEqual(await page.$$eval(`tr[data-study="${newData.id}"] a.tag`, (as) => as.map((a) => a.textContent)), [
      "new-data",
      "ridge",
    ]);
    await page.click(`tr[data-study="${baseline.id}"] a.tag[data-tag="ridge"]`);
    await page.waitForFunction(() => document.querySelectorAll("tr[data-study]").length === 2);
    assert.deepEqual(await listed(page), ids(baseline, newData));
    assert.equal(new URL(page.url()).searchParams.get("tag"), "ridge");
    assert.equal(await page.locator("#tag-filters .tag.active").count(), 1);
    assert.equal(await page.locator(`tr[data-study="${newData.id}"] a.tag.active`).textContent(), "ridge");
    const long = await page.$eval(`tr[data-study="${baseline.id}"] a.tag[data-tag="${LONG_TAG}"]`, (a) => ({
      shown: a.clientWidth,
      whole: a.scrollWidth,
      title: a.getAttribute("title"),
    }));
    assert.ok(long.shown < long.whole, `a very long tag's chip is cut short (${long.shown} of ${long.whole} pixels)`);
    assert.ok(long.title?.includes(LONG_TAG), "the whole tag in the chip's title");
    await assertFitsWidth(page);
    await screenshot(page, "studies-tags");
    await page.reload();
    await page.waitForSelector("table.studies");
    assert.deepEqual(await listed(page), ids(baseline, newData), "the filter survives a reload");
    await page.click('#tag-filters .tag[data-tag="ridge"]');
    await page.waitForFunction(() => document.querySelectorAll("tr[data-study]").length === 3);
    assert.equal(new URL(page.url()).searchParams.get("tag"), null, "removing the filter takes it out of the URL");
    await assertClean(page, watch);
    await page.close();
  });

  test("the study page's tag chips lead to the filtered list", async () => {
    const { page, watch } = await ui.open(`/studies/${newData.id}`);
    await page.waitForSelector("#study-tags");
    await page.click('#study-tags a.tag[data-tag="new-data"]');
    await page.waitForSelector("table.studies");
    assert.deepEqual(await listed(page), ids(newData));
    await assertClean(page, watch);
    await page.close();
  });

  test("search by name, tag, experiment and best value narrows the list, and the URL keeps it", async () => {
    const { page, watch } = await ui.open("/");
    await page.waitForSelector("table.studies");
    await search(page, "new-data", ids(newData));
    await search(page, "name:ridge-alpha", ids(baseline, newData));
    await search(page, "tag:forest", ids(forest));
    await search(page, "baseline", ids(baseline));
    await search(page, "experiment:wine", ids(forest));
    await search(page, "exp:housing", ids(baseline, newData));
    // The housing studies' best values lie in [0, 4], the forest study's in [10, 14].
    assert.ok(Math.max(baseline.best, newData.best) < 5 && forest.best >= 10);
    await search(page, "best<5", ids(baseline, newData));
    await search(page, "best>=10", ids(forest));
    await search(page, `best<=${forest.best}`, ids(baseline, newData, forest));
    await search(page, "ridge best<5", ids(baseline, newData));
    await search(page, "nothing-like-this", []);
    assert.equal(await page.locator("#no-match").isVisible(), true);
    await search(page, "tag:ridge exp:housing", ids(baseline, newData));
    assert.equal(new URL(page.url()).searchParams.get("q"), "tag:ridge exp:housing");
    await page.reload();
    await page.waitForSelector("table.studies");
    assert.equal(await page.inputValue("#study-search"), "tag:ridge exp:housing");
    assert.deepEqual(await listed(page), ids(baseline, newData));
    await assertClean(page, watch);
    await page.close();
  });

  test("the diff page: the data headline, the differing seed and dataset hash, identical sections", async () => {
    const { page, watch } = await ui.open(`/diff?a=${baseline.id}&b=${newData.id}`);
    await page.waitForSelector(".diff-section");
    const [da, db] = [baseline, newData].map((m) => m.provenance.latest.datasets.find((d) => d.name === "houses.csv")!);
    assert.notEqual(da.sha256, db.sha256, "the two runs read different content");
    const headlines = (await page.textContent("#diff-headlines"))!;
    assert.match(headlines, /Dataset "houses\.csv" has the same name but different content/);
    assert.ok(headlines.includes(da.sha256.slice(0, 12)) && headlines.includes(db.sha256.slice(0, 12)));
    const cells = (section: string, field: string) =>
      page.$$eval(`[data-section="${section}"] tr[data-field="${field}"] td`, (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(await cells("engine", "seed"), ["1", "2"]);
    const data = await cells("data", "dataset houses.csv");
    assert.equal(data.length, 2);
    assert.match(data[0]!, new RegExp(`3 rows.*${da.sha256.slice(0, 12)}`));
    assert.match(data[1]!, new RegExp(`4 rows.*${db.sha256.slice(0, 12)}`));
    const marks = await page.$$eval('[data-section="data"] tr[data-field="dataset houses.csv"] td', (tds) =>
      tds.map((td) => Array.from(td.querySelectorAll("mark")).map((m) => m.textContent)),
    );
    assert.deepEqual(
      marks,
      [
        ["3", da.sha256.slice(0, 12)],
        ["4", db.sha256.slice(0, 12)],
      ],
      "only the differing words are marked",
    );
    for (const section of ["search space", "directions", "versions", "machine"]) {
      assert.equal((await page.textContent(`[data-section="${section}"] .identical`))?.trim(), "identical", `section ${section} agrees`);
    }
    assert.equal(await page.locator('[data-section="data"] .identical').count(), 0);
    await assertFitsWidth(page);
    await screenshot(page, "diff");
    await assertClean(page, watch);
    await page.close();
  });

  test("the study page's diff link leads to a picker listing the study's experiment first", async () => {
    const { page, watch } = await ui.open(`/studies/${baseline.id}`);
    await page.click("#diff-link");
    await page.waitForSelector(".diff-picker");
    assert.equal(new URL(page.url()).search, `?a=${baseline.id}`);
    const links = await page.$$eval(".diff-picker a", (as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(links, [`/diff?a=${baseline.id}&b=${newData.id}`, `/diff?a=${baseline.id}&b=${forest.id}`]);
    await assertClean(page, watch);
    await page.close();
  });
});
