import type { StudyDirection, TrialRecord, TrialState } from "../../../core/records.js";
import type { Pruner } from "../../../tune/pruners/pruner.js";
import type { StudyView } from "../../../tune/samplers/sampler.js";

/** A trial record with the given reports (an array means steps 0, 1, 2, …). */
export function trial(
  number: number,
  state: TrialState,
  reports: readonly number[] | Record<number, number>,
  value: number | null = null,
): TrialRecord {
  const intermediateValues: Record<number, number> = Array.isArray(reports)
    ? Object.fromEntries(reports.map((v, step) => [step, v]))
    : { ...(reports as Record<number, number>) };
  const final = state === "COMPLETE" && value === null ? lastReport(intermediateValues) : value;
  return {
    trialId: number + 1,
    number,
    state,
    params: {},
    distributions: {},
    value: final,
    values: final === null ? null : [final],
    intermediateValues,
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

function lastReport(values: Record<number, number>): number | null {
  const steps = Object.keys(values).map(Number);
  return steps.length ? values[Math.max(...steps)] : null;
}

/** A study view over `trials`, as the study hands pruners (running trials included). */
export function view(trials: readonly TrialRecord[], direction: StudyDirection = "minimize", name = "study"): StudyView {
  return {
    studyId: 1,
    name,
    direction,
    directions: [direction],
    trials: (states?: readonly TrialState[]) =>
      [...trials].sort((a, b) => a.number - b.number).filter((t) => !states || states.includes(t.state)),
  };
}

/** Learning curves to replay: the reports of each trial, at `steps` (default 0, 1, 2, …). */
export interface Scenario {
  title: string;
  direction: StudyDirection;
  studyName: string;
  /** `curves[i][k]` is trial i's report at its k-th step. */
  curves: number[][];
  /** Steps of the reports: shared by all trials, or one list per trial; default 0, 1, 2, …. */
  steps?: number[] | number[][];
  /** How many trials run at once; each tick every running trial reports once (default 1). */
  concurrency?: number;
}

/** What happened to each trial: the answer of every `shouldPrune()` and how it ended. */
export interface Outcome {
  decisions: boolean[][];
  states: ("COMPLETE" | "PRUNED")[];
}

/**
 * Runs the scenario as a study would: trials are asked in order (at most `concurrency`
 * at once), each reports its next value and asks the pruner every tick, stops when
 * pruned, and is COMPLETE with its last report otherwise. The same schedule is
 * replayed through Optuna by optuna_replay.py.
 */
export function replay(pruner: Pruner, scenario: Scenario): Outcome {
  const concurrency = scenario.concurrency ?? 1;
  const records: TrialRecord[] = [];
  const decisions: boolean[][] = scenario.curves.map(() => []);
  const states: ("COMPLETE" | "PRUNED")[] = [];
  const studyView = view(records, scenario.direction, scenario.studyName);
  let running: { record: TrialRecord; next: number }[] = [];
  let asked = 0;
  while (asked < scenario.curves.length || running.length > 0) {
    while (running.length < concurrency && asked < scenario.curves.length) {
      const record = trial(asked, "RUNNING", {});
      records.push(record);
      running.push({ record, next: 0 });
      asked++;
    }
    const still: typeof running = [];
    for (const slot of running) {
      const i = slot.record.number;
      const step = stepsOf(scenario, i)?.[slot.next] ?? slot.next;
      const value = scenario.curves[i][slot.next];
      slot.record.intermediateValues[step] = value;
      slot.next++;
      const prune = pruner.prune(studyView, slot.record);
      decisions[i].push(prune);
      if (prune) {
        slot.record.state = "PRUNED";
        states[i] = "PRUNED";
      } else if (slot.next === scenario.curves[i].length) {
        slot.record.state = "COMPLETE";
        slot.record.value = value;
        states[i] = "COMPLETE";
      } else {
        still.push(slot);
      }
    }
    running = still;
  }
  return { decisions, states };
}

/** The steps trial `i` of the scenario reports at, or undefined for 0, 1, 2, …. */
export function stepsOf(scenario: Scenario, i: number): number[] | undefined {
  const steps = scenario.steps;
  if (steps === undefined) return undefined;
  return Array.isArray(steps[0]) ? (steps as number[][])[i] : (steps as number[]);
}
