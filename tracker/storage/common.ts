import { NotFoundError, ValueError } from "../../core/errors.js";
import { describeDistribution, sameDistribution, type DistributionJson, type TrialRecord } from "../../core/records.js";

/** Helpers every storage implementation shares. */

export function cloneTrial(t: TrialRecord): TrialRecord {
  return {
    ...t,
    params: { ...t.params },
    distributions: structuredClone(t.distributions),
    intermediateValues: { ...t.intermediateValues },
    userAttrs: structuredClone(t.userAttrs),
    systemAttrs: structuredClone(t.systemAttrs),
    datetimeStart: t.datetimeStart && new Date(t.datetimeStart),
    datetimeComplete: t.datetimeComplete && new Date(t.datetimeComplete),
  };
}

export function notFoundStudy(name: string, known: string[]): NotFoundError {
  const list = known.length ? ` Known studies: ${known.slice(0, 20).map((n) => JSON.stringify(n)).join(", ")}${known.length > 20 ? ", ..." : ""}.` : " The storage has no studies yet.";
  return new NotFoundError(`No study named ${JSON.stringify(name)}.${list}`);
}

/** A parameter set twice in one trial must keep its distribution. */
export function checkParamAgainst(trial: TrialRecord, name: string, distribution: DistributionJson): void {
  const existing = trial.distributions[name];
  if (existing && !sameDistribution(existing, distribution)) {
    throw new ValueError(
      `Parameter ${JSON.stringify(name)} of trial ${trial.number} was already set with ${describeDistribution(existing)}; cannot set it again with ${describeDistribution(distribution)}.`,
    );
  }
}
