import {
  type DistributionJson,
  emptyCounts,
  type StudyDirection,
  type StudySummary,
  type TrialRecord,
  type TrialState,
} from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";

/** Records of studies with several objectives, made directly (no engine), for the analyses and charts. */

const X: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };
const KIND: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: ["a", "b"] } };

export function moRec(
  number: number,
  values: number[] | null,
  options: { constraints?: number[]; state?: TrialState; params?: Record<string, number | string>; named?: Record<string, number> } = {},
): TrialRecord {
  const params = options.params ?? { x: number / 100 };
  const systemAttrs: TrialRecord["systemAttrs"] = {};
  if (options.constraints) systemAttrs.constraints = options.constraints;
  for (const [name, v] of Object.entries(options.named ?? {})) systemAttrs[`constraints:${name}`] = v;
  return {
    trialId: 1000 + number,
    number,
    state: options.state ?? (values === null ? "FAIL" : "COMPLETE"),
    params,
    distributions: Object.fromEntries(Object.keys(params).map((k) => [k, typeof params[k] === "string" ? KIND : X])),
    value: values !== null && values.length === 1 ? values[0] : null,
    values,
    intermediateValues: {},
    userAttrs: {},
    systemAttrs,
    datetimeStart: new Date(number * 1000),
    datetimeComplete: new Date(number * 1000 + 500),
  };
}

export function moSummary(
  name: string,
  directions: StudyDirection[],
  attrs: Partial<Pick<StudySummary, "userAttrs" | "systemAttrs">> = {},
): StudySummary {
  return {
    studyId: name.length,
    name,
    direction: directions[0],
    directions,
    experiment: "exp",
    userAttrs: attrs.userAttrs ?? {},
    systemAttrs: attrs.systemAttrs ?? {},
    counts: emptyCounts(),
    bestValue: null,
    bestTrialNumber: null,
    datetimeStart: null,
    lastActivity: null,
  };
}

/**
 * `n` trials with `objectives` values rounded to a coarse grid (so ties and copies occur),
 * some infeasible (a constraint > 0), a FAIL and a RUNNING among them. The values depend on
 * x and kind, so importance has something to find.
 */
export function randomTrials(n: number, objectives: number, seed: number, constrained = true): TrialRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = rng.random();
    const kind = rng.random() < 0.5 ? "a" : "b";
    const params = { x, y: rng.random(), kind };
    if (i === 3) return moRec(i, null, { state: "FAIL", params });
    if (i === n - 1) return moRec(i, null, { state: "RUNNING", params });
    const values = Array.from(
      { length: objectives },
      (_, k) => Math.round((k === 0 ? x : (1 - x) ** (k + 1) + rng.random() * 0.3) * 8) / 8,
    );
    if (kind === "b") values[objectives - 1] += 0.25;
    const constraints = constrained ? [rng.random() - 0.85] : undefined;
    return moRec(i, values, { params, ...(constraints ? { constraints } : {}) });
  });
}
