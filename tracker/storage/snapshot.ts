import type { TrialRecord } from "../../core/records.js";

/** A deep copy of a trial, so that mutating a returned record changes nothing stored. */
export function cloneTrial(t: TrialRecord): TrialRecord {
  return {
    ...t,
    values: t.values && [...t.values],
    params: { ...t.params },
    distributions: structuredClone(t.distributions),
    intermediateValues: { ...t.intermediateValues },
    userAttrs: structuredClone(t.userAttrs),
    systemAttrs: structuredClone(t.systemAttrs),
    datetimeStart: t.datetimeStart && new Date(t.datetimeStart),
    datetimeComplete: t.datetimeComplete && new Date(t.datetimeComplete),
  };
}
