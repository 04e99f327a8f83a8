import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import type { StudyView } from "../samplers/sampler.js";
import { isFirstReportInInterval, lastStep, valueAt } from "./intermediate.js";
import { checkInteger } from "./options.js";
import type { Pruner } from "./pruner.js";

export interface ThresholdPrunerOptions {
  /** Prune when the latest value is below this (default none). */
  lower?: number;
  /** Prune when the latest value is above this (default none). */
  upper?: number;
  /** No pruning before this step (default 0). */
  nWarmupSteps?: number;
  /** Check only at steps `nWarmupSteps + k·intervalSteps` (default 1: every report). */
  intervalSteps?: number;
}

const OPTION_KEYS = ["lower", "upper", "nWarmupSteps", "intervalSteps"] as const;

/**
 * Prunes a trial whose latest value leaves [lower, upper] or is NaN (Optuna's
 * ThresholdPruner), e.g. a loss that diverged. Other trials play no part.
 */
export class ThresholdPruner implements Pruner {
  readonly name = "threshold";
  readonly lower: number;
  readonly upper: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;

  constructor(options: ThresholdPrunerOptions) {
    const where = "ThresholdPruner";
    checkOptionKeys(where, options, OPTION_KEYS);
    if (options?.lower === undefined && options?.upper === undefined) {
      throw new ValueError(`${where}: give lower, upper or both, e.g. new ThresholdPruner({ upper: 1e3 }) to stop a diverging loss.`);
    }
    this.lower = checkBound(where, "lower", options.lower, -Infinity);
    this.upper = checkBound(where, "upper", options.upper, Infinity);
    if (this.lower > this.upper) {
      throw new ValueError(`${where}: lower (${this.lower}) must not be greater than upper (${this.upper}); swap them.`);
    }
    this.nWarmupSteps = checkInteger(where, "nWarmupSteps", options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = checkInteger(where, "intervalSteps", options.intervalSteps ?? 1, 1);
  }

  prune(_study: StudyView, trial: TrialRecord): boolean {
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstReportInInterval(trial, step, this.nWarmupSteps, this.intervalSteps)) return false;
    const value = valueAt(trial, step)!;
    return Number.isNaN(value) || value < this.lower || value > this.upper;
  }
}

function checkBound(where: string, name: string, value: unknown, otherwise: number): number {
  if (value === undefined) return otherwise;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new ValueError(`${where}: ${name} must be a number, got ${show(value)}.`);
  }
  return value;
}
