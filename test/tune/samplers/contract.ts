/**
 * The contract every sampler keeps, as one suite run against each of them (in the
 * manner of Optuna's SamplerTestCase): `samplerContract(name, makeSampler, options)`.
 * Every case drives the sampler through real studies — in memory, and in a SQLite file
 * to resume from — so it is called exactly as users' studies call it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { show } from "../../../core/errors.js";
import { constraintValues, isFeasible } from "../../../core/feasibility.js";
import { hypervolume } from "../../../core/math/hypervolume.js";
import type { ParamValue, StudyDirection, TrialRecord, TrialState } from "../../../core/records.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { minimisedValues } from "../../../tune/best-trials.js";
import { createStudy } from "../../../tune/create-study.js";
import {
  CategoricalDistribution,
  type Distribution,
  describe as describeDistribution,
  FloatDistribution,
  IntDistribution,
} from "../../../tune/distributions.js";
import { RandomSampler } from "../../../tune/samplers/random.js";
import type { Sampler, StudyView } from "../../../tune/samplers/sampler.js";
import { closeStorages } from "../../../tune/storage.js";
import type { Study } from "../../../tune/study.js";
import { type Trial, TrialPruned } from "../../../tune/trial.js";
import { macrotask, suiteDirectory } from "../kit-support.js";

/** Parameters by name, as a case suggests them. */
export type KitSpace = Readonly<Record<string, Distribution>>;

/** Builds the sampler under test; `space` holds every parameter the case may suggest. */
export type MakeSampler = (seed: number, space: KitSpace) => Sampler;

export interface SamplerContractOptions {
  /**
   * The sampler learns from the trials: on an easy objective its later trials beat
   * uniform draws. False for samplers that only cover the space (random,
   * quasi-random, grid), for which that would not be fair.
   */
  learns: boolean;
  /** The values each parameter may take, for a sampler limited to given values (a grid). */
  allowed?: (space: KitSpace) => Readonly<Record<string, readonly ParamValue[]>>;
  /** The sampler built around another one that samples what it does not model itself. */
  withIndependent?: (seed: number, independent: Sampler) => Sampler;
  /**
   * Its trials may repeat an earlier trial's point, so trials running at the same time may
   * get the same one: a genetic sampler's child copied from a parent and not mutated.
   */
  mayRepeatPoints?: boolean;
  /** How the multi-objective kit runs a sampler with `multiObjective` (see `multiObjectiveContract`). */
  multiObjective?: MultiObjectiveContractOptions;
}

export interface MultiObjectiveContractOptions {
  /** It beats random search's hypervolume on an easy two-objective problem (default: as `learns` says). */
  learns?: boolean;
  /** Trials of that check (default 60); a genetic sampler needs a few generations. */
  learningTrials?: number;
}

/** Trials per study: more than any sampler's start-up phase, so its model gets to sample. */
const TRIALS = 16;

/** Trials of the studies on the easy objective: enough for every learning sampler to close in on its optimum. */
const DIRECTION_TRIALS = 30;

/** One parameter of each kind. */
const EVERY_KIND: KitSpace = {
  float: new FloatDistribution(-3.5, 2),
  floatLog: new FloatDistribution(1e-4, 10, { log: true }),
  floatStep: new FloatDistribution(0, 1, { step: 0.1 }),
  floatStepOffset: new FloatDistribution(-0.3, 0.6, { step: 0.15 }),
  int: new IntDistribution(-5, 5),
  intLog: new IntDistribution(1, 1000, { log: true }),
  intStep: new IntDistribution(2, 20, { step: 3 }),
  categorical: new CategoricalDistribution(["a", 1, 2.5, true, null, "1", false, 0]),
};

/** A bowl over `EVERY_KIND` with its bottom inside the space. */
function everyKindObjective(trial: Trial): number {
  const p = suggestAll(trial, EVERY_KIND) as Record<string, number>;
  return (
    (p.float - 1) ** 2 / 30 +
    (Math.log10(p.floatLog) + 1) ** 2 / 25 +
    (p.floatStep - 0.7) ** 2 +
    (p.floatStepOffset - 0.15) ** 2 +
    ((p.int - 3) / 10) ** 2 +
    ((Math.log10(p.intLog) - 2) / 3) ** 2 +
    ((p.intStep - 14) / 18) ** 2 +
    (Object.is(p.categorical, 2.5) ? 0 : 0.3)
  );
}

/** Two continuous parameters and an integer, the optimum off the centre. */
const EASY: KitSpace = {
  x: new FloatDistribution(0, 1),
  y: new FloatDistribution(0, 1),
  k: new IntDistribution(0, 10),
};

function easy(p: Record<string, ParamValue>): number {
  return ((p.x as number) - 0.8) ** 2 + ((p.y as number) - 0.25) ** 2 + (((p.k as number) - 2) / 10) ** 2;
}

/** The mean of `easy` under uniform draws: Var + bias² for x and y, and E[(k − 2)²]/100 = (10 + 9)/100 for k. */
const EASY_UNIFORM_MEAN = 1 / 12 + (0.5 - 0.8) ** 2 + 1 / 12 + (0.5 - 0.25) ** 2 + (10 + 9) / 100;

/** A model choice with parameters of its own per branch (none for "linear"), and one shared parameter. */
const BRANCHES = {
  svm: { c: new FloatDistribution(1e-3, 1e3, { log: true }), kernel: new CategoricalDistribution(["rbf", "poly"]) },
  tree: { depth: new IntDistribution(1, 12), minLeaf: new IntDistribution(1, 31, { step: 5 }) },
  linear: {},
} as const satisfies Record<string, KitSpace>;

type Branch = keyof typeof BRANCHES;

const CONDITIONAL: KitSpace = {
  model: new CategoricalDistribution(Object.keys(BRANCHES)),
  scale: new FloatDistribution(0, 1),
  ...BRANCHES.svm,
  ...BRANCHES.tree,
};

function conditionalSpace(branch: Branch): KitSpace {
  return { model: CONDITIONAL.model, scale: CONDITIONAL.scale, ...BRANCHES[branch] };
}

function conditionalObjective(trial: Trial): number {
  const model = trial.suggestCategorical("model", Object.keys(BRANCHES)) as Branch;
  const scale = trial.suggestFloat("scale", 0, 1);
  const p = suggestAll(trial, BRANCHES[model]) as Record<string, number | string>;
  if (model === "svm") return scale + (Math.log10(p.c as number) - 1) ** 2 / 9 + (p.kernel === "rbf" ? 0 : 0.2);
  if (model === "tree") return scale + (((p.depth as number) - 6) / 6) ** 2 + (p.minLeaf as number) / 100;
  return 0.5 + scale;
}

/** Single-point parameters of every kind. */
const SINGLE: KitSpace = {
  float: new FloatDistribution(1.5, 1.5),
  floatLog: new FloatDistribution(2, 2, { log: true }),
  floatStep: new FloatDistribution(0.25, 0.25, { step: 0.5 }),
  int: new IntDistribution(3, 3),
  intLog: new IntDistribution(7, 7, { log: true }),
  intStep: new IntDistribution(4, 4, { step: 2 }),
  categorical: new CategoricalDistribution(["only"]),
};

const SINGLE_VALUES = { float: 1.5, floatLog: 2, floatStep: 0.25, int: 3, intLog: 7, intStep: 4, categorical: "only" };

/** Suggests every parameter of `space` on `trial`, in order. */
function suggestAll(trial: Trial, space: KitSpace): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const [name, d] of Object.entries(space)) params[name] = suggest(trial, name, d);
  return params;
}

function suggest(trial: Trial, name: string, d: Distribution): ParamValue {
  if (d.kind === "categorical") return trial.suggestCategorical(name, d.choices);
  const options = { log: d.log, ...(d.step === null ? {} : { step: d.step }) };
  return d.kind === "int" ? trial.suggestInt(name, d.low, d.high, options) : trial.suggestFloat(name, d.low, d.high, options);
}

/**
 * Is `value` one the distribution can take: inside the bounds, an integer on its step,
 * a stepped float exactly on a grid point as written in decimal (0.3, never
 * 0.30000000000000004, so equal points compare equal), or one of the choices itself.
 */
function isValidValue(d: Distribution, value: ParamValue): boolean {
  if (d.kind === "categorical") return d.choices.some((choice) => Object.is(choice, value));
  if (typeof value !== "number" || !(value >= d.low && value <= d.high)) return false;
  if (d.kind === "int") return Number.isInteger(value) && (value - d.low) % d.step === 0;
  return d.step === null || gridPoints(d).includes(value);
}

/** A stepped float's points, low + k·step, each rounded to 12 significant digits. */
export function gridPoints(d: FloatDistribution): number[] {
  const cells = Math.round((d.high - d.low) / d.step!);
  return Array.from({ length: cells + 1 }, (_, k) => Number((d.low + k * d.step!).toPrecision(12)));
}

function assertValid(trial: TrialRecord, space: KitSpace, allowed: Readonly<Record<string, readonly ParamValue[]>> | undefined): void {
  assert.deepEqual(Object.keys(trial.params).sort(), Object.keys(space).sort(), `trial ${trial.number}: parameters`);
  for (const [name, value] of Object.entries(trial.params)) {
    const d = space[name];
    assert.ok(isValidValue(d, value), `trial ${trial.number}: ${name} = ${show(value)} is not a value of ${describeDistribution(d)}`);
    assert.deepEqual(trial.distributions[name], d.toJson(), `trial ${trial.number}: distribution of ${name}`);
    const values = allowed?.[name];
    if (values)
      assert.ok(
        values.some((v) => Object.is(v, value)),
        `trial ${trial.number}: ${name} = ${show(value)} is not one of ${show(values)}`,
      );
  }
}

/** Every trial of the conditional space COMPLETE with exactly its branch's parameters, each valid; every branch taken. */
function assertBranches(trials: readonly TrialRecord[], allowed: Readonly<Record<string, readonly ParamValue[]>> | undefined): void {
  const branches = new Set<Branch>();
  for (const t of trials) {
    assert.equal(t.state, "COMPLETE", `trial ${t.number}: ${t.error ?? ""}`);
    const branch = t.params.model as Branch;
    branches.add(branch);
    assertValid(t, conditionalSpace(branch), allowed);
  }
  assert.deepEqual([...branches].sort(), Object.keys(BRANCHES).sort(), "every branch was sampled");
}

/** A sampler that hands out points claimed in storage (a grid): how many it has. */
function claimablePoints(sampler: Sampler): number {
  if (!sampler.unclaimedKeys) return Infinity;
  return sampler.unclaimedKeys(emptyView, new Set()).length;
}

const emptyView: StudyView = { studyId: 0, name: "empty", direction: "minimize", directions: ["minimize"], trials: () => [] };

function newStudy(sampler: Sampler, direction: StudyDirection = "minimize", name = "contract"): Promise<Study> {
  return createStudy({ storage: new InMemoryStorage(), name, sampler, direction });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
}

/** Each continuous parameter of `space` in [0, 1]: where `params` sit in the unit cube. */
function unitPoint(space: KitSpace, params: Record<string, ParamValue>): number[] {
  const point: number[] = [];
  for (const [name, d] of Object.entries(space)) {
    if (d.kind === "float" && d.step === null && !d.log) point.push(((params[name] as number) - d.low) / (d.high - d.low));
  }
  return point;
}

/** Trials running at the same time must not get the same point: closer than this in the unit cube counts as the same. */
const SAME_POINT = 1e-6;

function assertApart(space: KitSpace, a: Record<string, ParamValue>, b: Record<string, ParamValue>, what: string): void {
  const u = unitPoint(space, a);
  const v = unitPoint(space, b);
  const distance = Math.hypot(...u.map((x, i) => x - v[i]));
  assert.ok(distance > SAME_POINT, `${what}: ${show(a)} and ${show(b)} are the same point`);
}

/** A sampler that records every `afterTrial` call and passes everything on to `inner`. */
function recordingAfterTrial(inner: Sampler, calls: [number, TrialState, number | null][]): Sampler {
  const recorder: Sampler = {
    name: inner.name,
    inferRelativeSearchSpace: (study, trial) => inner.inferRelativeSearchSpace(study, trial),
    sampleRelative: (study, trial, space) => inner.sampleRelative(study, trial, space),
    sampleIndependent: (study, trial, name, distribution) => inner.sampleIndependent(study, trial, name, distribution),
    afterTrial: (study, trial, state, values) => {
      calls.push([trial.number, state, values === null ? null : values[0]]);
      inner.afterTrial?.(study, trial, state, values);
    },
  };
  if (inner.unclaimedKeys) recorder.unclaimedKeys = (study, claimed) => inner.unclaimedKeys!(study, claimed);
  if (inner.paramsForKey) recorder.paramsForKey = (key) => inner.paramsForKey!(key);
  return recorder;
}

/** How trial `n` of the failure-ridden study ends: no COMPLETE trial among the first six. */
function plannedEnd(n: number): "fail before suggesting" | "fail" | "pruned" | "pruned NaN" | "NaN" | "-Infinity" | "complete" {
  if (n < 6) return (["fail before suggesting", "pruned", "pruned NaN"] as const)[n % 3];
  return (["complete", "fail", "pruned", "NaN", "complete", "-Infinity", "pruned NaN", "complete"] as const)[n % 8];
}

const STATE_OF_END = {
  "fail before suggesting": "FAIL",
  fail: "FAIL",
  pruned: "PRUNED",
  "pruned NaN": "PRUNED",
  NaN: "FAIL",
  "-Infinity": "FAIL",
  complete: "COMPLETE",
} as const;

function failureRiddenObjective(trial: Trial): number {
  const end = plannedEnd(trial.number);
  if (end === "fail before suggesting") throw new Error("failed before suggesting anything");
  const value = everyKindObjective(trial);
  if (end === "fail") throw new Error("failed after suggesting");
  if (end === "pruned") {
    trial.report(value, 0);
    throw new TrialPruned();
  }
  if (end === "pruned NaN") {
    trial.report(NaN, 0);
    throw new TrialPruned();
  }
  if (end === "NaN") return NaN;
  if (end === "-Infinity") return -Infinity;
  return value;
}

/** Registers the contract's cases for one sampler. */
export function samplerContract(name: string, makeSampler: MakeSampler, options: SamplerContractOptions): void {
  const allowedIn = (space: KitSpace) => options.allowed?.(space);

  describe(`sampler contract: ${name}`, () => {
    const dir = suiteDirectory("tunebook-sampler-contract-");

    it("keeps every kind of parameter inside its distribution, stepped ones on their grid", async () => {
      const sampler = makeSampler(1, EVERY_KIND);
      const study = await newStudy(sampler);
      await study.optimize(everyKindObjective, { nTrials: TRIALS });
      const trials = await study.trials();
      assert.equal(trials.length, Math.min(TRIALS, claimablePoints(sampler)));
      for (const t of trials) {
        assert.equal(t.state, "COMPLETE", `trial ${t.number}: ${t.error ?? ""}`);
        assertValid(t, EVERY_KIND, allowedIn(EVERY_KIND));
      }
    });

    it("repeats its parameters for the same seed and changes them for another", async () => {
      const run = async (seed: number) => {
        const study = await newStudy(makeSampler(seed, EVERY_KIND));
        await study.optimize(everyKindObjective, { nTrials: TRIALS });
        return (await study.trials()).map((t) => t.params);
      };
      const first = await run(1);
      assert.deepEqual(await run(1), first);
      assert.notDeepEqual(await run(2), first);
    });

    it("samples a branch's parameters only in trials that chose the branch, each inside its distribution", async () => {
      const study = await newStudy(makeSampler(3, CONDITIONAL));
      await study.optimize(conditionalObjective, { nTrials: 2 * TRIALS });
      assertBranches(await study.trials(), allowedIn(CONDITIONAL));
    });

    it("maximises as it minimises: the same parameters for −f as for f", async () => {
      const run = async (direction: StudyDirection) => {
        const sampler = makeSampler(4, EASY);
        const study = await newStudy(sampler, direction);
        const sign = direction === "minimize" ? 1 : -1;
        await study.optimize((t) => sign * easy(suggestAll(t, EASY)), { nTrials: DIRECTION_TRIALS });
        const trials = await study.trials();
        assert.equal(trials.length, Math.min(DIRECTION_TRIALS, claimablePoints(sampler)));
        for (const t of trials) assertValid(t, EASY, allowedIn(EASY));
        return trials.map((t) => t.params);
      };
      assert.deepEqual(await run("maximize"), await run("minimize"));
    });

    if (options.learns) {
      it("learns: on an easy objective its later trials beat uniform draws", async () => {
        const lateMedians: number[] = [];
        for (const seed of [4, 5, 6]) {
          const study = await newStudy(makeSampler(seed, EASY));
          await study.optimize((t) => easy(suggestAll(t, EASY)), { nTrials: DIRECTION_TRIALS });
          lateMedians.push(median((await study.trials()).slice(-10).map((t) => easy(t.params))));
        }
        // Uniform draws: the median of 10 values is about 0.8 of the mean, rarely below 0.6 of it.
        assert.ok(
          median(lateMedians) < EASY_UNIFORM_MEAN / 2,
          `medians of the last 10 trials ${lateMedians.map((m) => m.toFixed(3))}; uniform draws average ${EASY_UNIFORM_MEAN.toFixed(3)}`,
        );
      });
    }

    it("goes on sampling a study resumed from SQLite as it would have in one session", async () => {
      const url = `sqlite:${join(dir(), "resumed.db")}`;
      const first = await createStudy({ storage: url, name: "resumed", sampler: makeSampler(5, EVERY_KIND) });
      await first.optimize(everyKindObjective, { nTrials: 10 });
      await closeStorages();
      const resumed = await createStudy({ storage: url, name: "resumed", sampler: makeSampler(6, EVERY_KIND), loadIfExists: true });
      assert.equal((await resumed.trials()).length, 10, "the first session's trials are back");
      await resumed.optimize(everyKindObjective, { nTrials: 8 });
      const trials = await resumed.trials();
      assert.deepEqual(
        trials.map((t) => t.number),
        [...Array(18).keys()],
      );
      for (const t of trials) {
        assert.equal(t.state, "COMPLETE", `trial ${t.number}: ${t.error ?? ""}`);
        assertValid(t, EVERY_KIND, allowedIn(EVERY_KIND));
      }
      // The same two sessions in memory: reloaded trials steer the sampler as live ones do.
      const storage = new InMemoryStorage();
      const live = await createStudy({ storage, name: "resumed", sampler: makeSampler(5, EVERY_KIND) });
      await live.optimize(everyKindObjective, { nTrials: 10 });
      const continued = await createStudy({ storage, name: "resumed", sampler: makeSampler(6, EVERY_KIND), loadIfExists: true });
      await continued.optimize(everyKindObjective, { nTrials: 8 });
      assert.deepEqual(
        trials.map((t) => t.params),
        (await continued.trials()).map((t) => t.params),
      );
    });

    it("gives trials asked for at the same time valid, different points", async () => {
      const sampler = makeSampler(7, EASY);
      const study = await newStudy(sampler);
      const objective = (t: Trial) => easy(suggestAll(t, EASY));
      await study.optimize(objective, { nTrials: 12 });
      // Four workers ask before any of them tells.
      const asked: { trial: Trial; params: Record<string, ParamValue> }[] = [];
      for (let i = 0; i < 4; i++) {
        const trial = await study.ask();
        asked.push({ trial, params: suggestAll(trial, EASY) });
      }
      for (const { trial, params } of asked) await study.tell(trial, easy(params));
      // Four objectives at once, each yielding to the others while it runs.
      const running = new Set<Record<string, ParamValue>>();
      const overlapping: [Record<string, ParamValue>, Record<string, ParamValue>][] = [];
      await study.optimize(
        async (t) => {
          const params = suggestAll(t, EASY);
          for (const other of running) overlapping.push([params, other]);
          running.add(params);
          await macrotask();
          await macrotask();
          running.delete(params);
          return easy(params);
        },
        { nTrials: 8, concurrency: 4 },
      );
      const trials = await study.trials();
      assert.equal(trials.length, Math.min(24, claimablePoints(sampler)));
      for (const t of trials) {
        assert.equal(t.state, "COMPLETE", `trial ${t.number}: ${t.error ?? ""}`);
        assertValid(t, EASY, allowedIn(EASY));
      }
      assert.ok(overlapping.length > 0, "some trials ran at the same time");
      if (options.mayRepeatPoints) return;
      if (sampler.unclaimedKeys) {
        const points = trials.map((t) => JSON.stringify(EASY_NAMES.map((n) => t.params[n])));
        assert.equal(new Set(points).size, points.length, "a claimed point is evaluated once");
        return;
      }
      for (let i = 0; i < asked.length; i++) {
        for (let j = 0; j < i; j++) assertApart(EASY, asked[i].params, asked[j].params, `asked trials ${j} and ${i}`);
      }
      for (const [a, b] of overlapping) assertApart(EASY, a, b, "concurrent trials");
    });

    it("gives single-point parameters their value and keeps sampling the others", async () => {
      const only = makeSampler(8, SINGLE);
      const study = await newStudy(only);
      await study.optimize(
        (t) => {
          suggestAll(t, SINGLE);
          return 1;
        },
        { nTrials: 6 },
      );
      const trials = await study.trials();
      assert.equal(trials.length, Math.min(6, claimablePoints(only)));
      for (const t of trials) assert.deepEqual(t.params, SINGLE_VALUES, `trial ${t.number}`);

      const space = { ...SINGLE, ...EASY };
      const mixed = await newStudy(makeSampler(8, space));
      await mixed.optimize(
        (t) => {
          suggestAll(t, SINGLE);
          return easy(suggestAll(t, EASY));
        },
        { nTrials: TRIALS },
      );
      for (const t of await mixed.trials()) {
        assert.equal(t.state, "COMPLETE", `trial ${t.number}: ${t.error ?? ""}`);
        assertValid(t, space, allowedIn(space));
      }
    });

    it("goes on sampling validly with FAIL and PRUNED trials in the study", async () => {
      const sampler = makeSampler(9, EVERY_KIND);
      const study = await newStudy(sampler);
      await study.optimize(failureRiddenObjective, { nTrials: 24, catch: true });
      // Ask-and-tell: a trial told FAIL, one told PRUNED, then more trials.
      const failed = await study.ask();
      everyKindObjective(failed);
      await study.tell(failed, { state: "FAIL" });
      const pruned = await study.ask();
      pruned.report(everyKindObjective(pruned), 3);
      await study.tell(pruned, { state: "PRUNED" });
      await study.optimize(everyKindObjective, { nTrials: 6 });

      const trials = await study.trials();
      assert.equal(trials.length, Math.min(32, claimablePoints(sampler)));
      const planned = (n: number): TrialState =>
        n < 24 ? STATE_OF_END[plannedEnd(n)] : n === 24 ? "FAIL" : n === 25 ? "PRUNED" : "COMPLETE";
      for (const t of trials) {
        assert.equal(t.state, planned(t.number), `trial ${t.number}`);
        if (t.number < 24 && plannedEnd(t.number) === "fail before suggesting") assert.deepEqual(t.params, {});
        else assertValid(t, EVERY_KIND, allowedIn(EVERY_KIND));
      }
      assert.ok(trials.slice(-6).every((t) => t.state === "COMPLETE"));
    });

    it("is told how each trial ended, once, and tells the sampler it wraps", async () => {
      const run = async (sampler: Sampler) => {
        const study = await newStudy(sampler);
        await study.optimize(failureRiddenObjective, { nTrials: 14, catch: true });
        for (const state of ["COMPLETE", "PRUNED", "FAIL"] as const) {
          const trial = await study.ask();
          const value = everyKindObjective(trial);
          await study.tell(trial, state === "COMPLETE" ? value : { state });
        }
        return (await study.trials()).map((t): [number, TrialState, number | null] => [t.number, t.state, t.value]);
      };
      const calls: [number, TrialState, number | null][] = [];
      const ended = await run(recordingAfterTrial(makeSampler(10, EVERY_KIND), calls));
      assert.deepEqual(calls, ended);
      assert.deepEqual(new Set(ended.map(([, state]) => state)), new Set(["COMPLETE", "PRUNED", "FAIL"]));
      if (!options.withIndependent) return;
      const passedOn: [number, TrialState, number | null][] = [];
      const independent = recordingAfterTrial(new RandomSampler({ seed: 11 }), passedOn);
      assert.deepEqual(passedOn, await run(options.withIndependent(10, independent)));
    });
  });
}

const EASY_NAMES = Object.keys(EASY);

/** Trials per study of the multi-objective kit. */
const MO_TRIALS = 24;

/** Two objectives over `EVERY_KIND`: the bowl against the distance of `float` from its low end, maximised. */
function twoObjectives(trial: Trial): number[] {
  const bowl = everyKindObjective(trial);
  return [bowl, Math.abs((trial.params.float as number) + 3.5) + bowl / 10];
}

/**
 * Three objectives over `EVERY_KIND`, and a constraint on some trials only: those with an
 * odd `int` are feasible when `float` ≤ 0, the others carry no constraint values.
 */
function threeConstrainedObjectives(trial: Trial): number[] {
  const bowl = everyKindObjective(trial);
  const p = trial.params as Record<string, number>;
  if (Math.abs(p.int % 2) === 1) trial.setConstraint("oddNeedsNegativeFloat", p.float);
  return [bowl, (p.float - 1) ** 2, Math.log10(p.intLog) + p.floatStep];
}

const TWO_DIRECTIONS: readonly StudyDirection[] = ["minimize", "maximize"];
const THREE_DIRECTIONS: readonly StudyDirection[] = ["minimize", "minimize", "maximize"];

/** ZDT1 on four parameters: a convex front f2 = 1 − √f1 at x1 = x2 = x3 = 0; f2 is returned negated and maximised. */
const ZDT_SPACE: KitSpace = Object.fromEntries(["x0", "x1", "x2", "x3"].map((name) => [name, new FloatDistribution(0, 1)]));

function zdt(trial: Trial): number[] {
  const x = Object.keys(ZDT_SPACE).map((name) => trial.suggestFloat(name, 0, 1));
  const g = 1 + (9 * (x[1] + x[2] + x[3])) / 3;
  return [x[0], -g * (1 - Math.sqrt(x[0] / g))];
}

/** f1 ≤ 1.1 and f2 ≤ 10 (g is at most 10): every trial adds to the hypervolume, the best ones most. */
const ZDT_REFERENCE = [1.1, 10];
const ZDT_SEEDS = [1, 2, 3, 4, 5];

function newMultiObjectiveStudy(sampler: Sampler, directions: readonly StudyDirection[]): Promise<Study> {
  return createStudy({ storage: new InMemoryStorage(), name: "contract", sampler, directions });
}

async function zdtHypervolume(sampler: Sampler, trials: number): Promise<number> {
  const study = await newMultiObjectiveStudy(sampler, TWO_DIRECTIONS);
  await study.optimize(zdt, { nTrials: trials });
  const points = (await study.trials()).map((t) => minimisedValues(t.values!, TWO_DIRECTIONS));
  return hypervolume(points, ZDT_REFERENCE);
}

/** Random search's median hypervolume over `ZDT_SEEDS`, by budget: the bar a learning sampler must clear. */
const randomHypervolumes = new Map<number, Promise<number>>();

function randomZdtHypervolume(trials: number): Promise<number> {
  let hv = randomHypervolumes.get(trials);
  if (!hv) {
    hv = Promise.all(ZDT_SEEDS.map((seed) => zdtHypervolume(new RandomSampler({ seed }), trials))).then(median);
    randomHypervolumes.set(trials, hv);
  }
  return hv;
}

/**
 * Registers the multi-objective contract's cases for a sampler with `multiObjective`:
 * studies of two and three objectives (one maximised), constraints on some trials, and
 * what the single-objective kit checks of the parameters (every kind inside its
 * distribution, conditional ones, seeds that repeat).
 */
export function multiObjectiveContract(name: string, makeSampler: MakeSampler, options: SamplerContractOptions): void {
  const allowedIn = (space: KitSpace) => options.allowed?.(space);
  const learns = options.multiObjective?.learns ?? options.learns;
  const learningTrials = options.multiObjective?.learningTrials ?? 60;

  describe(`sampler contract, several objectives: ${name}`, () => {
    it("says it serves several objectives", () => {
      assert.equal(makeSampler(1, EVERY_KIND).multiObjective, true);
    });

    it("keeps every kind of parameter inside its distribution, and each trial has one value per objective", async () => {
      const sampler = makeSampler(1, EVERY_KIND);
      const study = await newMultiObjectiveStudy(sampler, TWO_DIRECTIONS);
      await study.optimize(twoObjectives, { nTrials: MO_TRIALS });
      const trials = await study.trials();
      assert.equal(trials.length, Math.min(MO_TRIALS, claimablePoints(sampler)));
      for (const t of trials) {
        assert.equal(t.state, "COMPLETE", `trial ${t.number}: ${t.error ?? ""}`);
        assert.equal(t.values?.length, 2, `trial ${t.number}: values ${show(t.values)}`);
        assert.equal(t.value, null, `trial ${t.number}: value is for one objective`);
        assertValid(t, EVERY_KIND, allowedIn(EVERY_KIND));
      }
    });

    it("repeats its parameters for the same seed and changes them for another", async () => {
      const run = async (seed: number) => {
        const study = await newMultiObjectiveStudy(makeSampler(seed, EVERY_KIND), TWO_DIRECTIONS);
        await study.optimize(twoObjectives, { nTrials: MO_TRIALS });
        return (await study.trials()).map((t) => t.params);
      };
      const first = await run(1);
      assert.deepEqual(await run(1), first);
      assert.notDeepEqual(await run(2), first);
    });

    it("samples a branch's parameters only in trials that chose the branch", async () => {
      const study = await newMultiObjectiveStudy(makeSampler(3, CONDITIONAL), TWO_DIRECTIONS);
      await study.optimize((t) => [conditionalObjective(t), t.params.scale as number], { nTrials: 2 * MO_TRIALS });
      assertBranches(await study.trials(), allowedIn(CONDITIONAL));
    });

    it("takes three objectives with constraints on some trials, infeasible ones among them, and repeats itself", async () => {
      const run = async () => {
        const study = await newMultiObjectiveStudy(makeSampler(4, EVERY_KIND), THREE_DIRECTIONS);
        await study.optimize(threeConstrainedObjectives, { nTrials: 2 * MO_TRIALS });
        return study;
      };
      const study = await run();
      const trials = await study.trials();
      let infeasible = 0;
      for (const t of trials) {
        assert.equal(t.state, "COMPLETE", `trial ${t.number}: ${t.error ?? ""}`);
        assert.equal(t.values?.length, 3, `trial ${t.number}: values ${show(t.values)}`);
        assertValid(t, EVERY_KIND, allowedIn(EVERY_KIND));
        const constrained = Math.abs((t.params.int as number) % 2) === 1;
        assert.deepEqual(constraintValues(t), constrained ? [t.params.float] : null, `trial ${t.number}: constraints`);
        if (!isFeasible(t)) infeasible++;
      }
      assert.ok(infeasible > 0 && infeasible < trials.length, `${infeasible} of ${trials.length} trials infeasible`);
      const best = await study.bestTrials();
      assert.ok(best.length > 0 && best.every(isFeasible), "the Pareto front holds feasible trials only");
      assert.deepEqual(
        (await (await run()).trials()).map((t) => t.params),
        trials.map((t) => t.params),
        "the same seed gives the same trials",
      );
    });

    if (learns) {
      it(`learns: in ${learningTrials} trials of an easy two-objective problem its hypervolume beats random search's`, async () => {
        const ours = await Promise.all(ZDT_SEEDS.map((seed) => zdtHypervolume(makeSampler(seed, ZDT_SPACE), learningTrials)));
        const random = await randomZdtHypervolume(learningTrials);
        assert.ok(
          median(ours) > random,
          `median hypervolume ${median(ours).toFixed(3)} (seeds ${ours.map((v) => v.toFixed(3)).join(", ")}); random search ${random.toFixed(3)}`,
        );
      });
    }
  });
}
