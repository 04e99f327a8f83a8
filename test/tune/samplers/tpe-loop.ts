/**
 * A minimal study for sampler tests: keeps trial records in memory and drives a
 * sampler through its contract exactly as a study does (joint sample first, then
 * one parameter at a time for the rest), evaluating a real objective.
 */
import type { CategoricalChoice, DistributionJson, ParamValue, StudyDirection, TrialRecord, TrialState } from "../../../core/records.js";
import { sameDistribution } from "../../../core/records.js";
import { CategoricalDistribution, type Distribution, FloatDistribution, IntDistribution } from "../../../tune/distributions.js";
import type { InternalParams, Sampler, StudyView } from "../../../tune/samplers/sampler.js";

export interface LoopTrial {
  suggestFloat(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestInt(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T;
}

export class LoopStudy implements StudyView {
  readonly studyId = 1;
  readonly name = "loop";
  readonly records: TrialRecord[] = [];

  constructor(
    readonly sampler: Sampler,
    readonly direction: StudyDirection = "minimize",
  ) {}

  get directions(): StudyDirection[] {
    return [this.direction];
  }

  trials(states?: readonly TrialState[]): readonly TrialRecord[] {
    return states ? this.records.filter((t) => states.includes(t.state)) : this.records;
  }

  /** Starts a RUNNING trial with its joint sample drawn; suggest through the returned object. */
  ask(): { record: TrialRecord; trial: LoopTrial } {
    const number = this.records.length;
    const record: TrialRecord = {
      trialId: number + 1,
      number,
      state: "RUNNING",
      params: {},
      distributions: {},
      value: null,
      values: null,
      intermediateValues: {},
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: new Date(0),
      datetimeComplete: null,
    };
    this.records.push(record);
    const space = this.sampler.inferRelativeSearchSpace(this, record);
    const relative: InternalParams = Object.keys(space).length > 0 ? this.sampler.sampleRelative(this, record, space) : {};
    const pick = (name: string, d: Distribution): ParamValue => {
      const json: DistributionJson = d.toJson();
      let internal: number;
      if (name in relative && space[name] !== undefined && sameDistribution(space[name].toJson(), json)) internal = relative[name];
      else internal = this.sampler.sampleIndependent(this, record, name, d);
      if (!d.contains(internal)) throw new Error(`sampler gave ${internal} for ${name}, outside ${JSON.stringify(json)}`);
      const external = d.toExternal(internal);
      record.params[name] = external;
      record.distributions[name] = json;
      return external;
    };
    const trial: LoopTrial = {
      suggestFloat: (name, low, high, options = {}) => pick(name, new FloatDistribution(low, high, options)) as number,
      suggestInt: (name, low, high, options = {}) => pick(name, new IntDistribution(low, high, options)) as number,
      suggestCategorical: <T extends CategoricalChoice>(name: string, choices: readonly T[]) =>
        pick(name, new CategoricalDistribution(choices)) as T,
    };
    return { record, trial };
  }

  tell(record: TrialRecord, state: TrialState, value: number | null = null): void {
    record.state = state;
    record.value = value;
    record.values = value === null ? null : [value];
    record.datetimeComplete = new Date(0);
    this.sampler.afterTrial?.(this, record, state, record.values);
  }

  /** Runs `n` trials one after another; returns the values in order. */
  optimize(objective: (trial: LoopTrial) => number, n: number): number[] {
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      const { record, trial } = this.ask();
      const value = objective(trial);
      this.tell(record, "COMPLETE", value);
      values.push(value);
    }
    return values;
  }

  best(): number {
    let best = Infinity;
    for (const t of this.records)
      if (t.state === "COMPLETE" && t.value !== null) best = Math.min(best, this.direction === "minimize" ? t.value : -t.value);
    return this.direction === "minimize" ? best : -best;
  }
}
