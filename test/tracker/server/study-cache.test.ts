import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CachedStudy } from "../../../tracker/server/study-cache.js";
import { openStorage } from "../../../tracker/storage/open.js";
import type { Storage } from "../../../tracker/storage/storage.js";

/**
 * The server's cached study changes version when a study attribute changes, not only when a
 * trial does: a lockbox look, a recorded curve or a convergence record written after the last
 * trial must reach the charts.
 */
let dir: string;
let storage: Storage;
let studyId: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tunebook-study-cache-"));
  storage = openStorage(join(dir, "cache.db"));
  studyId = await storage.createStudy({ name: "cached", direction: "maximize" });
  await storage.createTrial(studyId, { state: "COMPLETE", value: 0.5, params: {}, distributions: {} });
});

after(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("CachedStudy", () => {
  test("a study attribute written after the last trial gives a new version and fresh memos", async () => {
    const cached = new CachedStudy(storage, studyId, 0, 0);
    await cached.refresh();
    const before = cached.version;
    assert.equal(
      cached.memoise("attrs", () => Object.keys(cached.summary.systemAttrs).length),
      0,
    );
    await storage.setStudySystemAttr(studyId, "tunebook:lockbox", { testRows: 10, looks: [] });
    await cached.refresh();
    assert.notEqual(cached.version, before);
    assert.equal(
      cached.memoise("attrs", () => Object.keys(cached.summary.systemAttrs).length),
      1,
    );
    const after = cached.version;
    await cached.refresh();
    assert.equal(cached.version, after, "nothing changed: the same version");
    await storage.setStudyUserAttr(studyId, "curve:k", { kind: "validation-curve" });
    await cached.refresh();
    assert.notEqual(cached.version, after);
  });

  test("within the summary's age, the attributes are not re-read (the summary costs a scan)", async () => {
    const cached = new CachedStudy(storage, studyId, 0, 60_000);
    await cached.refresh();
    const before = cached.version;
    await storage.setStudyUserAttr(studyId, "note", "later");
    await cached.refresh();
    assert.equal(cached.version, before);
  });
});
