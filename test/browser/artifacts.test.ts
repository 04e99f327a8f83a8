import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadArrays } from "../../learn/datasets.js";
import { RandomForestClassifier } from "../../learn/models/random-forest.js";
import { startServer } from "../../tracker/server/start.js";
import type { ArtifactsResponse } from "../../tracker/server/types.js";
import type { SqliteStorage } from "../../tracker/storage/sqlite.js";
import { artifactDir } from "../../tune/artifacts.js";
import { createStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";
import { browserUnavailable, screenshot, watchedPage } from "./chromium.js";
import { openUiSession, type UiSession } from "./ui-session.js";

/**
 * A trial's artifacts on its page in real headless Chromium: the saved model is
 * listed and downloads byte for byte, names are sanitised, and ids that are not the
 * trial's own (traversal attempts included) answer 400 or 404.
 */
const skip = browserUnavailable();
setVerbosity("silent");

let ui: UiSession;
let base: string;
let studyId: number;
const REPORT = "fold 1: 0.95\nfold 2: 0.97\n";
const ids: Record<"model" | "odd" | "gone" | "other", string> = { model: "", odd: "", gone: "", other: "" };

before(async () => {
  if (skip) return;
  ui = await openUiSession(
    "artifacts",
    async (writer) => {
      base = artifactDir(writer.url);
      const study = await createStudy({ name: "forest <b>artifacts</b>", storage: writer, direction: "maximize" });
      studyId = study.studyId;
      const iris = loadArrays("iris");
      const model = new RandomForestClassifier({ nEstimators: 20, maxDepth: 4, seed: 1 });
      const trial = await study.ask();
      model.fit(iris.X, iris.y);
      await study.tell(trial, 0.96);
      ids.model = (await study.saveModel(trial, model)).artifactId;
      const folder = (writer as SqliteStorage).path.replace(/[^/]+$/, "");
      const odd = join(folder, `report "final" <img src=x onerror=window.__xss=1>.txt`);
      writeFileSync(odd, REPORT);
      ids.odd = await trial.uploadArtifact(odd);
      const gone = join(folder, "plot.png");
      writeFileSync(gone, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      ids.gone = await trial.uploadArtifact(gone);
      rmSync(join(base, ids.gone));
      const next = await study.ask();
      ids.other = await next.uploadArtifact(odd);
      await study.tell(next, 0.9);
    },
    300,
  );
});

after(async () => {
  if (skip) return;
  await ui?.close();
});

describe("trial artifacts in the UI", { skip: skip ?? false }, () => {
  it("the trial page lists the saved model, and the link downloads the same bytes", async () => {
    const { page, watch } = await watchedPage(ui.browser);
    await page.goto(ui.url(`/studies/${studyId}/trials/0`));
    await page.waitForSelector("#artifacts-table");
    const rows = await page.$$eval("#artifacts-table tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
    );
    const modelBytes = readFileSync(join(base, ids.model));
    assert.deepEqual(rows, [
      ["model-RandomForestClassifier.json", `${(modelBytes.length / 1000).toFixed(1)} kB`, "application/json"],
      ["plot.png", "missing", "image/png"],
      [`report "final" <img src=x onerror=window.__xss=1>.txt`, `${Buffer.byteLength(REPORT)} B`, "text/plain"],
    ]);
    await screenshot(page, "trial-artifacts");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=model-RandomForestClassifier.json")]);
    assert.equal(download.suggestedFilename(), "model-RandomForestClassifier.json");
    const saved = readFileSync((await download.path())!);
    assert.ok(saved.equals(modelBytes), "the download is the stored file");
    assert.equal(JSON.parse(saved.toString("utf8")).kind, "RandomForestClassifier");
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, "an XSS payload ran");
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.dialogs, []);
    await page.close();
  });

  it("downloads are attachments under a sanitised name, with the stored type", async () => {
    const response = await fetch(ui.url(`/api/studies/${studyId}/trials/0/artifacts/${ids.odd}`));
    assert.equal(response.status, 200);
    assert.match(
      response.headers.get("content-disposition") ?? "",
      /^attachment; filename="?report_final_img_src_x_onerror_window\.__xss_1_\.txt"?$/,
    );
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    assert.equal(await response.text(), REPORT);
  });

  it("an id that is not the trial's, malformed or a traversal attempt answers 400 or 404, never a file", async () => {
    const get = async (tail: string) => {
      const response = await fetch(ui.url(`/api/studies/${studyId}/trials/0/artifacts/${tail}`));
      return { status: response.status, body: await response.text() };
    };
    for (const tail of ["..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "...", `${ids.model}.json`, ids.model.toUpperCase(), "x"]) {
      const { status, body } = await get(tail);
      assert.equal(status, 400, tail);
      assert.match(body, /must be an artifact id/, tail);
    }
    for (const tail of ["../../../../etc/passwd", `../${ids.model}`]) {
      const { status, body } = await get(tail);
      assert.equal(status, 404, tail);
      assert.doesNotMatch(body, /root:/);
    }
    // Another trial's artifact, and an id of the right form that nothing has.
    assert.equal((await get(ids.other)).status, 404);
    assert.equal((await get("00000000-0000-4000-8000-000000000000")).status, 404);
    // A recorded artifact whose file is gone: a clean 404 with a JSON reason.
    const missing = await get(ids.gone);
    assert.equal(missing.status, 404);
    assert.match(JSON.parse(missing.body).error.message, /not in the artifact folder/);
    assert.equal((await fetch(ui.url(`/api/studies/${studyId}/trials/1/artifacts/${ids.other}`))).status, 200);
  });

  it("the artifact folder can be given (tunebook ui --artifacts <dir>)", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "tunebook-moved-artifacts-"));
    copyFileSync(join(base, ids.model), join(elsewhere, ids.model));
    const server = await startServer({ storage: ui.server.storage.url, port: 0, artifacts: elsewhere });
    try {
      const list = (await (await fetch(`${server.url}api/studies/${studyId}/trials/0/artifacts`)).json()) as ArtifactsResponse;
      const sizes = Object.fromEntries(list.artifacts.map((a) => [a.artifactId, a.size]));
      assert.equal(sizes[ids.model], statSync(join(base, ids.model)).size);
      assert.equal(sizes[ids.odd], null);
      assert.equal((await fetch(`${server.url}api/studies/${studyId}/trials/0/artifacts/${ids.odd}`)).status, 404);
    } finally {
      await server.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
