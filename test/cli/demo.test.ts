import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { listStudies } from "../../kernel/index.js";
import { closeStorages } from "../../kernel/tune/storage.js";

const dir = mkdtempSync(join(tmpdir(), "tunebook-demo-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

it("the demo runs from the built package in a fresh folder, logs its studies and points at the UI", async () => {
  const bin = new URL("../../bin/tunebook.js", import.meta.url).pathname;
  const run = spawnSync(process.execPath, [bin, "demo", "--trials", "4"], { cwd: dir, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /wine-knn\s+best accuracy 0\.\d+/);
  assert.match(run.stdout, /http:\/\/127\.0\.0\.1:5177\/compare\?studies=1,2,3/);
  const studies = await listStudies(`sqlite:${join(dir, "tunebook.db")}`);
  assert.deepEqual(studies.map((s) => [s.name, s.experiment, s.counts.COMPLETE]).sort(), [
    ["wine-forest", "wine", 4],
    ["wine-knn", "wine", 4],
    ["wine-logreg", "wine", 4],
  ]);
  for (const s of studies) assert.ok(s.bestValue! > 0.8, `${s.name}: ${s.bestValue}`);
});
