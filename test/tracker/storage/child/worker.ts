/**
 * One worker process for the multi-process storage tests. Opens the storage itself (so
 * workers also race to create the schema and the studies), then, by mode:
 * - `trials <n>`: n × (createTrial, 2 params, an intermediate value, finishTrial COMPLETE);
 * - `budget <max>`: creates and finishes trials until the shared budget says no;
 * - `claims <keys>`: creates trials claiming one of `keys` grid keys until none is free;
 * - `forever`: like `trials`, without end (to be killed).
 * Prints `done <number> [<key>]` after each finished trial.
 */
import { DuplicatedStudyError } from "../../../../core/errors.js";
import type { DistributionJson } from "../../../../core/records.js";
import { openStorage } from "../../../../tracker/storage/open.js";
import type { Storage } from "../../../../tracker/storage/storage.js";

const [url, mode, arg] = process.argv.slice(2);
const X: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
const K: DistributionJson = { name: "IntDistribution", attributes: { low: 0, high: 1000, log: false, step: 1 } };

async function studyId(storage: Storage, name: string): Promise<number> {
  try {
    return await storage.createStudy({ name, direction: "minimize" });
  } catch (error) {
    if (error instanceof DuplicatedStudyError) return storage.getStudyIdByName(name);
    throw error;
  }
}

async function runTrial(storage: Storage, id: number, options: { maxTrials?: number; claimOneOf?: string[] } = {}): Promise<boolean> {
  const trial = await storage.createTrial(id, {}, options);
  if (!trial) return false;
  const x = (process.pid % 997) / 997;
  await storage.setTrialParam(trial.trialId, "x", x, X);
  await storage.setTrialParam(trial.trialId, "k", trial.number, K);
  await storage.setTrialIntermediateValue(trial.trialId, 0, x);
  await storage.finishTrial(trial.trialId, "COMPLETE", [x + trial.number]);
  process.stdout.write(`done ${trial.number}${trial.claimedKey ? ` ${trial.claimedKey}` : ""}\n`);
  return true;
}

const storage = openStorage(url);
const id = await studyId(storage, mode);
if (mode === "trials") {
  for (let i = 0; i < Number(arg); i++) await runTrial(storage, id);
} else if (mode === "budget") {
  while (await runTrial(storage, id, { maxTrials: Number(arg) }));
} else if (mode === "claims") {
  const keys = Array.from({ length: Number(arg) }, (_, i) => `point-${i}`);
  while (await runTrial(storage, id, { claimOneOf: keys }));
} else if (mode === "forever") {
  for (;;) await runTrial(storage, id);
} else {
  throw new Error(`unknown mode ${mode}`);
}
await storage.close();
