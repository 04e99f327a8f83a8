import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { listStudies } from "../../index.js";
import type { CompareResponse } from "../../tracker/server/types.js";
import { closeStorages } from "../../tune/storage.js";

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

it("demo --ui serves the comparison of what it just ran, until interrupted", async () => {
  const bin = new URL("../../bin/tunebook.js", import.meta.url).pathname;
  const cwd = mkdtempSync(join(tmpdir(), "tunebook-demo-ui-"));
  const child = spawn(process.execPath, [bin, "demo", "--trials", "2", "--ui", "--port", "0"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stderr.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no UI address printed:\n${out}`)), 120_000);
    child.stdout.on("data", (d) => {
      out += d;
      const found = /showing .* at (http:\/\/127\.0\.0\.1:\d+\/compare\?studies=1,2,3)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const api = (await (await fetch(url.replace("/compare?", "/api/compare?"))).json()) as CompareResponse;
  assert.equal(api.rows.length, 3);
  assert.ok(api.test, `the paired test between the best two ran: ${api.note ?? ""}`);
  child.kill("SIGINT");
  const code = await new Promise((resolve) => child.on("exit", resolve));
  assert.equal(code, 0);
  rmSync(cwd, { recursive: true, force: true });
});
