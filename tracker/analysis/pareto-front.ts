import { isFeasible } from "../../core/feasibility.js";
import { defaultReferencePoint, hypervolume } from "../../core/math/hypervolume.js";
import { dominates } from "../../core/math/pareto.js";
import type { StudyDirection, TrialRecord } from "../../core/records.js";
import { minimisedValues, paretoOptimalTrials } from "../../tune/best-trials.js";

/**
 * The Pareto front of a study with several objectives, as the pages and the notebook show
 * it: each completed trial marked on the front, dominated or infeasible, the hypervolume
 * of the feasible front after each completed trial, and the summary a study's facts show.
 * Hypervolumes are taken in the minimised space (maximised objectives negated), as
 * core/math/hypervolume.ts computes them.
 */

/** Where a completed trial stands: on the feasible Pareto front, feasible but dominated, or infeasible. */
export type FrontMark = "front" | "dominated" | "infeasible";

/** COMPLETE trials with one finite value per objective, in trial-number order: what the front is made of. */
export function completedWithValues(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): TrialRecord[] {
  return trials
    .filter(
      (t) =>
        t.state === "COMPLETE" && t.values !== null && t.values.length === directions.length && t.values.every((v) => Number.isFinite(v)),
    )
    .sort((a, b) => a.number - b.number);
}

/**
 * Each completed trial (with finite values) and its mark, in trial-number order. The front
 * is `paretoOptimalTrials` over them: feasible trials no other feasible trial dominates,
 * copies all kept.
 */
export function frontMarks(
  trials: readonly TrialRecord[],
  directions: readonly StudyDirection[],
): { trial: TrialRecord; mark: FrontMark }[] {
  const complete = completedWithValues(trials, directions);
  const front = new Set(paretoOptimalTrials(complete, directions));
  return complete.map((trial) => ({
    trial,
    mark: !isFeasible(trial) ? "infeasible" : front.has(trial) ? "front" : "dominated",
  }));
}

/** The minimised values of the feasible completed trials (finite values only). */
export function feasiblePoints(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): number[][] {
  return completedWithValues(trials, directions)
    .filter((t) => isFeasible(t))
    .map((t) => minimisedValues(t.values!, directions));
}

/**
 * The reference point the pages use for a study: `defaultReferencePoint` over every feasible
 * completed trial's minimised values (each objective's worst value plus a tenth of its
 * range). Null when no trial is feasible and complete.
 */
export function studyReferencePoint(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): number[] | null {
  const points = feasiblePoints(trials, directions);
  return points.length ? defaultReferencePoint(points) : null;
}

/** A minimised reference point in the objectives' own units (maximised ones negated back). */
export function inOwnUnits(point: readonly number[], directions: readonly StudyDirection[]): number[] {
  return minimisedValues(point, directions);
}

export interface HypervolumePoint {
  /** Trial number of a COMPLETE trial. */
  number: number;
  /** Hypervolume of the feasible front of the trials completed up to this one. */
  hypervolume: number;
  /** This trial's feasibility. */
  feasible: boolean;
  /** True when this trial raised the hypervolume. */
  improved: boolean;
}

export interface HypervolumeHistory {
  /** Minimised reference point; null when no completed trial is feasible (then every hypervolume is 0). */
  referencePoint: number[] | null;
  /** One point per completed trial with finite values, by trial number. */
  points: HypervolumePoint[];
}

/**
 * The hypervolume after each completed trial, by trial number. Computed incrementally:
 * a new feasible point that nothing on the front covers adds its exclusive volume, its
 * box less the volume of its limit set (the front points clipped to its box), and drops
 * the points it dominates; so each trial costs one hypervolume of at most the front's
 * size, not a hypervolume of everything so far. `referencePoint` (minimised) defaults to
 * `studyReferencePoint`; points not strictly inside it add nothing.
 */
export function hypervolumeHistory(
  trials: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  options: { referencePoint?: readonly number[] } = {},
): HypervolumeHistory {
  const complete = completedWithValues(trials, directions);
  const reference = options.referencePoint ? [...options.referencePoint] : studyReferencePoint(complete, directions);
  const points: HypervolumePoint[] = [];
  let front: number[][] = [];
  let total = 0;
  for (const t of complete) {
    const feasible = isFeasible(t);
    let gain = 0;
    if (feasible && reference !== null) {
      const p = minimisedValues(t.values!, directions);
      if (!front.some((q) => q.every((v, j) => v <= p[j]))) {
        gain = exclusiveVolume(p, front, reference);
        front = front.filter((q) => !dominates(p, q));
        front.push(p);
      }
    }
    total += gain;
    points.push({ number: t.number, hypervolume: total, feasible, improved: gain > 0 });
  }
  return { referencePoint: reference, points };
}

/** The volume `p` alone adds to the front's, within the reference box. */
function exclusiveVolume(p: readonly number[], front: readonly (readonly number[])[], reference: readonly number[]): number {
  if (!p.every((v, j) => v < reference[j])) return 0;
  let box = 1;
  for (let j = 0; j < p.length; j++) box *= reference[j] - p[j];
  const limited = front.map((q) => q.map((v, j) => Math.max(v, p[j])));
  return Math.max(0, box - hypervolume(limited, reference));
}

export interface ParetoSummary {
  /** Trials on the feasible Pareto front, by number. */
  frontTrialNumbers: number[];
  /** Hypervolume of that front w.r.t. `referencePoint`; null when no completed trial is feasible. */
  hypervolume: number | null;
  /** The reference point in the objectives' own units; null with `hypervolume`. */
  referencePoint: number[] | null;
  /** Completed trials with finite values, feasible and not. */
  feasible: number;
  infeasible: number;
}

/** What a study's facts show instead of a best value: the front's size and its hypervolume. */
export function paretoSummary(trials: readonly TrialRecord[], directions: readonly StudyDirection[]): ParetoSummary {
  const marks = frontMarks(trials, directions);
  const points = marks.filter((m) => m.mark !== "infeasible").map((m) => minimisedValues(m.trial.values!, directions));
  const reference = points.length ? defaultReferencePoint(points) : null;
  const front = marks.filter((m) => m.mark === "front");
  return {
    frontTrialNumbers: front.map((m) => m.trial.number),
    hypervolume:
      reference === null
        ? null
        : hypervolume(
            front.map((m) => minimisedValues(m.trial.values!, directions)),
            reference,
          ),
    referencePoint: reference === null ? null : inOwnUnits(reference, directions),
    feasible: points.length,
    infeasible: marks.length - points.length,
  };
}
