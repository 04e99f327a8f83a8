import { show, TrialFinishedError, TrialPruned, ValueError } from "../core/errors.js";
import { checkConstraintValue } from "../core/feasibility.js";
import { userAttrValue } from "../core/json.js";
import { checkName, checkStep } from "../core/limits.js";
import {
  describeDistribution,
  isFinished,
  type JsonValue,
  type ParamValue,
  SYSTEM_ATTR,
  sameDistribution,
  setOwn,
  type TrialRecord,
} from "../core/records.js";
import type { Storage } from "../tracker/storage/storage.js";
import { type UploadOptions, uploadArtifact } from "./artifacts.js";
import { containsExternal, type Distribution, describe, fitsKind } from "./distributions.js";
import { warn } from "./log.js";
import { checkNote } from "./notes.js";
import type { Pruner } from "./pruners/pruner.js";
import type { InternalParams, Sampler } from "./samplers/sampler.js";
import { DistributionSuggester } from "./suggesting-trial.js";
import type { TrialCache } from "./trial-cache.js";

/** What a trial needs from its study. */
export interface TrialContext {
  storage: Storage;
  view: TrialCache;
  sampler: Sampler;
  pruner: Pruner;
}

export type { SuggestNumberOptions } from "./suggesting-trial.js";

/**
 * One evaluation of the objective (define-by-run, as in Optuna): each `suggest*`
 * call both declares a parameter's range and returns its value for this trial.
 *
 * Suggestions return at once; their writes to storage are queued and always land
 * before the trial is finished, so a finished trial is complete on disk.
 */
export class Trial extends DistributionSuggester {
  private readonly relativeSpace: Record<string, Distribution>;
  private readonly relativeParams: InternalParams;
  private readonly fixedParams: Record<string, ParamValue>;
  private writes: Promise<void> = Promise.resolve();
  private writeError: unknown = null;
  /** Names given to `setConstraint`, in the order first set. */
  private readonly constraintNames: string[] = [];

  /** @internal Built by `Study.ask`; users receive trials, they don't construct them. */
  constructor(
    private readonly context: TrialContext,
    /** The live record: mutated in place, shared with the study view. */
    readonly record: TrialRecord,
    relative: { space: Record<string, Distribution>; params: InternalParams },
    fixedParams: Record<string, ParamValue>,
  ) {
    super();
    this.relativeSpace = relative.space;
    this.relativeParams = relative.params;
    this.fixedParams = fixedParams;
  }

  /** 0-based number of the trial within its study. */
  get number(): number {
    return this.record.number;
  }

  /** Storage-wide id. */
  get trialId(): number {
    return this.record.trialId;
  }

  /** Parameters suggested so far, by name. */
  get params(): Record<string, ParamValue> {
    return { ...this.record.params };
  }

  get userAttrs(): Record<string, JsonValue> {
    return structuredClone(this.record.userAttrs);
  }

  get state(): TrialRecord["state"] {
    return this.record.state;
  }

  /**
   * Reports the objective's value at `step` (an epoch, a fold) so pruners can judge
   * the trial. Reporting a step twice keeps the first value, as in Optuna.
   */
  report(value: number, step: number): void {
    this.checkRunning("report");
    this.checkOneObjective("trial.report");
    if (typeof value !== "number") throw new ValueError(`trial.report: value must be a number, got ${show(value)}.`);
    if (!Number.isInteger(step) || step < 0) throw new ValueError(`trial.report: step must be a non-negative integer, got ${show(step)}.`);
    checkStep("trial.report: step", step);
    if (step in this.record.intermediateValues) {
      warn(`trial ${this.number}: step ${step} was already reported; the value ${value} is ignored.`);
      return;
    }
    this.record.intermediateValues[step] = value;
    this.enqueueWrite(() => this.context.storage.setTrialIntermediateValue(this.trialId, step, value));
  }

  /** Should the objective stop now? Asks the study's pruner; throw `TrialPruned` if so. */
  shouldPrune(): boolean {
    this.checkRunning("shouldPrune");
    this.checkOneObjective("trial.shouldPrune");
    return this.context.pruner.prune(this.context.view, this.record);
  }

  /** Attaches a JSON value to the trial, shown in the tracker (a Date is stored as its ISO string; see `userAttrValue`). */
  setUserAttr(key: string, value: JsonValue): void {
    const copy = userAttrValue("trial.setUserAttr", key, value);
    checkName("trial.setUserAttr: key", key);
    setOwn(this.record.userAttrs, key, copy);
    this.enqueueWrite(() => this.context.storage.setTrialUserAttr(this.trialId, key, copy));
  }

  /**
   * Sets what you concluded about this trial, in Markdown, shown on its page in the tracker
   * (`""` clears it). Finished trials take notes too.
   */
  setNote(markdown: string): void {
    const note = checkNote("trial.setNote", markdown);
    this.record.systemAttrs[SYSTEM_ATTR.note] = note;
    this.enqueueWrite(() => this.context.storage.setTrialSystemAttr(this.trialId, SYSTEM_ATTR.note, note));
  }

  /**
   * Keeps the file at `path` with this trial, as Optuna's `upload_artifact` does (see
   * `tune/artifacts.ts`: the folder is next to an SQLite database, else `artifacts` or
   * $TUNEBOOK_ARTIFACTS); the mimetype defaults to one guessed from the extension.
   * Allowed after the trial finished. Resolves to the artifact id once file and record are stored.
   */
  async uploadArtifact(path: string, options: UploadOptions = {}): Promise<string> {
    const { key, value, meta } = await uploadArtifact(this.context.storage, this.trialId, path, options);
    setOwn(this.record.systemAttrs, key, value);
    return meta.artifactId;
  }

  /**
   * Records a constraint on this trial: feasible when `value` ≤ 0 (e.g. model size − limit).
   * Infeasible trials never count as best, and constraint-aware samplers steer away from
   * them. Stored as Optuna stores constraints (the list under `constraints`, in the order
   * first set, after those of the study's constraints function) and under
   * `constraints:<name>`. Setting a name again replaces its value.
   */
  setConstraint(name: string, value: number): void {
    this.checkRunning("setConstraint");
    if (typeof name !== "string" || name === "")
      throw new ValueError(`trial.setConstraint: name must be a non-empty string, got ${show(name)}.`);
    const key = `${CONSTRAINT_PREFIX}${name}`;
    checkName("trial.setConstraint: name", key);
    const checked = checkConstraintValue(`trial.setConstraint(${show(name)})`, value);
    if (!this.constraintNames.includes(name)) this.constraintNames.push(name);
    setOwn(this.record.systemAttrs, key, checked);
    this.enqueueWrite(() => this.context.storage.setTrialSystemAttr(this.trialId, key, checked));
  }

  /** @internal The values of the constraints set by name, in the order first set. */
  namedConstraintValues(): number[] {
    return this.constraintNames.map((name) => this.record.systemAttrs[`${CONSTRAINT_PREFIX}${name}`] as number);
  }

  /** @internal Stores the trial's whole list of constraint values (Optuna's `constraints`). */
  setConstraintList(values: readonly number[]): void {
    const list = [...values];
    this.record.systemAttrs[SYSTEM_ATTR.constraints] = list;
    this.enqueueWrite(() => this.context.storage.setTrialSystemAttr(this.trialId, SYSTEM_ATTR.constraints, list));
  }

  /** @internal Every queued write, awaited; rethrows the first write that failed. */
  async flush(): Promise<void> {
    await this.writes;
    if (this.writeError) throw this.writeError;
  }

  protected override suggest(name: string, distribution: Distribution): ParamValue {
    this.checkRunning("suggest");
    if (typeof name !== "string" || name === "") throw new ValueError(`A parameter name must be a non-empty string, got ${show(name)}.`);
    checkName("A parameter name", name);
    const json = distribution.toJson();
    const previous = Object.hasOwn(this.record.distributions, name) ? this.record.distributions[name] : undefined;
    if (previous) {
      if (!sameDistribution(previous, json)) {
        throw new ValueError(
          `Parameter ${show(name)} was already suggested in trial ${this.number} with ${describeDistribution(previous)}; it cannot be suggested again with ${describe(distribution)}. Use another name for a different range.`,
        );
      }
      return this.record.params[name];
    }
    const value = this.pick(name, distribution);
    setOwn(this.record.params, name, value);
    setOwn(this.record.distributions, name, json);
    this.enqueueWrite(() => this.context.storage.setTrialParam(this.trialId, name, value, json));
    return value;
  }

  private pick(name: string, distribution: Distribution): ParamValue {
    if (Object.hasOwn(this.fixedParams, name)) {
      const fixed = this.fixedParams[name];
      if (!fitsKind(distribution, fixed)) {
        const needs = { categorical: "one of its choices", int: "an integer within ±Number.MAX_SAFE_INTEGER", float: "a finite number" };
        throw new ValueError(
          `Parameter ${show(name)} was fixed to ${show(fixed)}, but ${describe(distribution)} takes ${needs[distribution.kind]}; enqueue such a value.`,
        );
      }
      if (!containsExternal(distribution, fixed)) {
        warn(`trial ${this.number}: fixed value ${show(fixed)} of ${show(name)} is outside ${describe(distribution)}; using it as given.`);
      }
      return fixed;
    }
    if (distribution.isSingle()) return distribution.toExternal(distribution.kind === "categorical" ? 0 : distribution.low);
    const relative = Object.hasOwn(this.relativeSpace, name) ? this.relativeSpace[name] : undefined;
    if (relative && Object.hasOwn(this.relativeParams, name) && sameDistribution(relative.toJson(), distribution.toJson())) {
      return distribution.toExternal(this.relativeParams[name]);
    }
    const { sampler, view } = this.context;
    return distribution.toExternal(sampler.sampleIndependent(view, this.record, name, distribution));
  }

  /** Intermediate values and pruning judge one objective; with several (as in Optuna) they are refused. */
  private checkOneObjective(what: string): void {
    const { directions } = this.context.view;
    if (directions.length > 1) {
      throw new ValueError(
        `${what}: the study has ${directions.length} objectives (${directions.join(", ")}); intermediate values and pruning need one. Report a single-objective proxy in a study of its own, or leave pruning out.`,
      );
    }
  }

  private checkRunning(what: string): void {
    if (isFinished(this.record.state)) {
      throw new TrialFinishedError(`trial ${this.number} is already ${this.record.state}; ${what} is only possible while it runs.`);
    }
  }

  private enqueueWrite(write: () => Promise<void>): void {
    this.writes = this.writes.then(write).catch((error) => {
      this.writeError ??= error;
    });
  }
}

/** The system attribute key of a named constraint: `constraints:<name>`. */
const CONSTRAINT_PREFIX = `${SYSTEM_ATTR.constraints}:`;

/** Thrown from an objective, stores the trial as PRUNED; re-exported for convenience. */
export { TrialPruned };
