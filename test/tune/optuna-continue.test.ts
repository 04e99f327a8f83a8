// A study Optuna 3.1 wrote, continued through tunebook's Study API with a model-based
// sampler that learns from Optuna's trials, then read back by Optuna.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it, test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadStudy, setVerbosity, TPESampler, type Trial } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";

setVerbosity("silent");
const PYTHON = "/usr/bin/python3";
const PEER = fileURLToPath(new URL("../tracker/storage/fixtures/optuna_peer.py", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tunebook-optuna-continue-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

function unavailable(): string | false {
  try {
    execFileSync(PYTHON, ["-c", "import optuna"], { stdio: "pipe" });
    return false;
  } catch {
    return `Optuna study interop SKIPPED: ${PYTHON} with python3-optuna is not available`;
  }
}
const skip = unavailable();
if (skip && process.env.TUNEBOOK_REQUIRE_ALL === "1") test("Optuna 3.1 is available (TUNEBOOK_REQUIRE_ALL=1)", () => assert.fail(skip));
else if (skip) console.warn(`\n!! ${skip}\n`);

interface PeerTrial {
  number: number;
  state: string;
  params: Record<string, unknown>;
  value: number | null;
}
const peer = (command: string, path: string, n: number) =>
  JSON.parse(
    execFileSync(PYTHON, [PEER, command, `sqlite:///${path}`, "shared", String(n)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { trials: PeerTrial[] };

/** The peer's objective, written again in TypeScript: the same space, the same formula. */
function objective(trial: Trial): number {
  const x = trial.suggestFloat("x", -4, 4);
  const lr = trial.suggestFloat("lr", 1e-4, 1, { log: true });
  const q = trial.suggestFloat("q", 0, 2, { step: 0.5 });
  const n = trial.suggestInt("n", 2, 20, { step: 3 });
  const units = trial.suggestInt("units", 8, 512, { log: true });
  const act = trial.suggestCategorical("act", ["relu", null, false, 7]);
  return x * x + lr + q + n + units / 1000 + (act === null ? 0 : 1);
}

it("tunebook continues a study Optuna wrote, its TPE learning from Optuna's trials, and Optuna reads it back", { skip }, async () => {
  const path = join(dir, "optuna.db");
  const written = peer("write", path, 12);
  const study = await loadStudy({ name: "shared", storage: `sqlite:${path}`, sampler: new TPESampler({ seed: 3, nStartupTrials: 5 }) });
  const before = await study.trials();
  assert.deepEqual(
    before.map((t) => t.state),
    written.trials.map((t) => t.state),
  );
  assert.equal(before.at(-1)!.state, "WAITING", "Optuna enqueued a trial last");

  await study.optimize(objective, { nTrials: 8 });
  const ours = await study.trials();
  // Optuna's enqueued trial ran first, with its fixed parameters.
  const enqueued = ours[written.trials.length - 1];
  assert.equal(enqueued.state, "COMPLETE");
  assert.deepEqual(enqueued.params, { x: 1.5, lr: 0.01, q: 1, n: 5, units: 64, act: "relu" });

  const reread = peer("dump", path, 0);
  assert.equal(reread.trials.length, ours.length);
  for (const [i, t] of ours.entries()) {
    assert.equal(reread.trials[i].number, t.number);
    assert.equal(reread.trials[i].state, t.state);
    if (t.state === "COMPLETE") {
      assert.equal(reread.trials[i].value, t.value);
      assert.deepEqual(reread.trials[i].params, t.params);
    }
  }
});
