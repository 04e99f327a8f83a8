/**
 * The study the UI benchmark reads: `trials` trials of a 5-parameter random search (one in
 * ten PRUNED, one in a hundred FAIL, 1–3 intermediate values each), written straight into a
 * tunebook SQLite file — one transaction of prepared statements, as a bulk import would,
 * not one `createTrial` per trial — with tunebook's triggers keeping the aggregates.
 */
import Database from "better-sqlite3";
import type { DistributionJson } from "../core/records.js";
import { Rng } from "../core/rng.js";
import { internalParam } from "../tracker/storage/checks.js";
import { openStorage } from "../tracker/storage/open.js";
import { distributionToJson, formatDatetime, pythonJson } from "../tracker/storage/optuna-encoding.js";

export const UI_DISTRIBUTIONS: Record<string, DistributionJson> = {
  x: { name: "FloatDistribution", attributes: { low: -5, high: 5, log: false, step: null } },
  y: { name: "FloatDistribution", attributes: { low: -5, high: 5, log: false, step: null } },
  lr: { name: "FloatDistribution", attributes: { low: 1e-5, high: 1, log: true, step: null } },
  depth: { name: "IntDistribution", attributes: { low: 1, high: 12, log: false, step: 1 } },
  kernel: { name: "CategoricalDistribution", attributes: { choices: ["linear", "rbf", "poly"] } },
};

/** Writes the study into a new file at `path`; returns its id. */
export async function buildUiStudy(path: string, trials: number, name = "bench-ui"): Promise<number> {
  // tunebook creates the schema (Optuna's tables, ours, the triggers) and the study.
  const storage = openStorage(`sqlite:${path}`);
  const studyId = await storage.createStudy({ name, direction: "minimize", experiment: "bench" });
  await storage.setStudySystemAttr(studyId, "tunebook:sampler", "RandomSampler");
  await storage.close();

  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insertTrial = db.prepare(
    "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?) RETURNING trial_id",
  );
  const insertParam = db.prepare("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)");
  const insertValue = db.prepare("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, ?, 'FINITE')");
  const insertStep = db.prepare(
    "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, 'FINITE')",
  );
  const insertAttr = db.prepare(`INSERT INTO trial_system_attributes (trial_id, "key", value_json) VALUES (?, ?, ?)`);
  const json = Object.fromEntries(Object.entries(UI_DISTRIBUTIONS).map(([k, d]) => [k, distributionToJson(d)]));
  const rng = new Rng(1);
  const start = Date.UTC(2024, 0, 1);
  db.transaction(() => {
    for (let i = 0; i < trials; i++) {
      const params = {
        x: rng.uniform(-5, 5),
        y: rng.uniform(-5, 5),
        lr: Math.exp(rng.uniform(Math.log(1e-5), 0)),
        depth: rng.integer(1, 12),
        kernel: ["linear", "rbf", "poly"][rng.integer(0, 2)],
      };
      const value =
        (params.x - 1) ** 2 +
        0.2 * params.y ** 2 +
        0.1 * Math.abs(Math.log10(params.lr) + 3) +
        (params.kernel === "rbf" ? 0 : 0.3) +
        rng.normal() * 0.05;
      const pruned = i % 10 === 9;
      const failed = i % 100 === 42;
      const at = start + i * 1000;
      const state = failed ? "FAIL" : pruned ? "PRUNED" : "COMPLETE";
      const { trial_id: trialId } = insertTrial.get(
        i,
        studyId,
        state,
        formatDatetime(new Date(at)),
        formatDatetime(new Date(at + 800)),
      ) as {
        trial_id: number;
      };
      for (const [name, v] of Object.entries(params))
        insertParam.run(trialId, name, internalParam(name, v, UI_DISTRIBUTIONS[name]), json[name]);
      if (!failed) for (let s = 0; s < (pruned ? 1 : 3); s++) insertStep.run(trialId, s, value + 2 / (s + 1));
      if (state === "COMPLETE") insertValue.run(trialId, value);
      if (failed) insertAttr.run(trialId, "fail_reason", pythonJson("diverged"));
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return studyId;
}
