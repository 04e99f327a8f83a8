/** Objectives for the stop-criterion tests: each records its own fold scores, as crossValidate with a trial would. */
import { Rng } from "../../../core/rng.js";
import type { Trial } from "../../../tune/trial.js";

/** k fold scores around `value` with spread `sd`, shifted so their mean is `value` exactly. */
export function foldScores(value: number, sd: number, rng: Rng, k = 5): number[] {
  const raw = Array.from({ length: k }, () => sd * rng.normal());
  const mean = raw.reduce((a, b) => a + b, 0) / k;
  return raw.map((r) => value + r - mean);
}

/**
 * A score that barely depends on its parameters (0.8 + 0.001·x) measured with noise far larger
 * than that (0.002 between trials, 0.02 between folds): more trials cannot find anything real.
 */
export function flatObjective(seed: number): (trial: Trial) => number {
  const rng = new Rng(seed);
  return (trial) => {
    const x = trial.suggestFloat("x", 0, 1);
    const y = trial.suggestFloat("y", 0, 1);
    const value = 0.8 + 0.001 * x + 0.0001 * y + 0.002 * rng.normal();
    trial.setUserAttr("fold_scores", foldScores(value, 0.02, rng));
    return value;
  };
}

/** A steep bowl (maximised at x = 0.3, y = 0.6) measured almost exactly: better points are still there to find. */
export function steepObjective(seed: number): (trial: Trial) => number {
  const rng = new Rng(seed);
  return (trial) => {
    const x = trial.suggestFloat("x", 0, 1);
    const y = trial.suggestFloat("y", 0, 1);
    const value = -10 * ((x - 0.3) ** 2 + (y - 0.6) ** 2);
    trial.setUserAttr("fold_scores", foldScores(value, 1e-4, rng));
    return value;
  };
}
