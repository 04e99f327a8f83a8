import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";

/** Runs Optuna's fANOVA (through /usr/bin/python3) on the given studies. */

/** The Python with optuna and scikit-learn (override with TUNEBOOK_PYTHON). */
export const PYTHON = process.env.TUNEBOOK_PYTHON ?? "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./fixtures/importance/optuna_fanova.py", import.meta.url));

export interface ReferenceStudy {
  name: string;
  direction?: StudyDirection;
  trials: readonly TrialRecord[];
}

export interface OptunaImportances {
  optuna: string;
  importances: Record<string, Record<string, number>>;
}

/** Why Optuna's fANOVA cannot run here, or null when it can. */
export function optunaUnavailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ["-c", "import optuna, sklearn"], { encoding: "utf8" });
  if (probe.status !== 0) return `${PYTHON} cannot import optuna and sklearn: ${probe.stderr.trim().split("\n").pop()}`;
  return null;
}

export function optunaFanova(studies: readonly ReferenceStudy[], seed = 0): OptunaImportances {
  const request = {
    seed,
    studies: studies.map((s) => ({
      name: s.name,
      direction: s.direction ?? "minimize",
      trials: s.trials.map((t) => ({ params: t.params, distributions: t.distributions, value: t.value })),
    })),
  };
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`optuna_fanova.py failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as OptunaImportances;
}
