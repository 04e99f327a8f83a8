/**
 * The contract every pruner keeps, as one suite run against each of them:
 * `prunerContract(name, makePruner, options)`. Cases ask the pruner directly about
 * hand-made studies, and run it inside real studies — in memory, with trials running
 * at once, and resumed from a SQLite file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { StudyDirection, TrialRecord } from "../../../core/records.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { createStudy } from "../../../tune/create-study.js";
import type { Pruner } from "../../../tune/pruners/pruner.js";
import { closeStorages, type StorageSpec } from "../../../tune/storage.js";
import type { Study } from "../../../tune/study.js";
import { type Trial, TrialPruned } from "../../../tune/trial.js";
import { macrotask, suiteDirectory } from "../kit-support.js";
import { learningCurves } from "./curves.js";
import { type Outcome, replay, type Scenario, stepsOf, trial, view } from "./helpers.js";

/** Builds the pruner under test for a study in `direction`. */
export type MakePruner = (direction: StudyDirection) => Pruner;

export interface PrunerContractOptions {
  /** It prunes some trials of the kit's learning curves; false for a pruner that never prunes. */
  prunes: boolean;
  /** A trial with a NaN or infinite report is never pruned (the pruner's own rule). */
  sparesNonFinite?: boolean;
}

const TRIALS = 16;
const STEPS = 20;

/** Losses falling at different speeds towards different floors, so that curves cross. */
const CURVES = learningCurves(21, TRIALS, STEPS, { noise: 0.05 });

/** The same curves with a NaN and infinite reports in a few trials (none at a trial's last step). */
const CURVES_NON_FINITE = CURVES.map((curve, i) =>
  curve.map((v, k) => (i === 4 && k === 3 ? NaN : i === 7 && k === 5 ? Infinity : i === 9 && k === 2 ? -Infinity : v)),
);

/**
 * Steps far apart and unevenly spaced, as when reporting every few epochs or by samples
 * seen; the last is near the largest step storage keeps (32-bit), with room for the
 * spread of UNEVEN_STEPS below.
 */
const GAPPED_STEPS = [0, 1, 5, 12, 40, 41, 300, 1e3, 1001, 1002, 25e3, 25_001, 4e5, 400_500, 1e6, 1_000_001, 3e6, 1e7, 10_000_007, 2 ** 29];

/** Each trial spreads the gapped steps by its own factor and offset: its steps are mostly not another's. */
const UNEVEN_STEPS = CURVES.map((_, i) => GAPPED_STEPS.map((step) => step * (1 + (i % 3)) + (i % 4)));

function negated(curves: number[][]): number[][] {
  return curves.map((curve) => curve.map((v) => -v));
}

/** The last value a PRUNED trial is recorded with: its last report, or none if that was not finite. */
function recordedValue(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** What the objective saw of the pruner: its answer before any report, and after each report. */
interface Decisions {
  beforeReports: boolean[];
  decisions: boolean[][];
}

/**
 * Runs trials `from`…`to − 1` of the scenario in `study`: each asks the pruner before
 * reporting, then reports its curve step by step, asking after each report, and stops
 * when told to; with `concurrency` > 1 trials yield to each other between reports.
 */
async function runScenario(study: Study, scenario: Scenario, from: number, to: number, seen: Decisions): Promise<void> {
  const concurrency = scenario.concurrency ?? 1;
  await study.optimize(
    async (t: Trial) => {
      const i = t.number;
      const curve = scenario.curves[i];
      const steps = stepsOf(scenario, i) ?? curve.map((_, k) => k);
      seen.beforeReports[i] = t.shouldPrune();
      seen.decisions[i] = [];
      for (let k = 0; k < curve.length; k++) {
        t.report(curve[k], steps[k]);
        const prune = t.shouldPrune();
        seen.decisions[i].push(prune);
        if (concurrency > 1) await macrotask();
        if (prune) throw new TrialPruned();
      }
      return curve[curve.length - 1];
    },
    { nTrials: to - from, concurrency },
  );
}

function newDecisions(): Decisions {
  return { beforeReports: [], decisions: [] };
}

/** The study's records agree with what the objective was told: PRUNED with its last value, or COMPLETE. */
function assertRecorded(trials: readonly TrialRecord[], scenario: Scenario, seen: Decisions): void {
  assert.equal(trials.length, scenario.curves.length);
  for (const t of trials) {
    const i = t.number;
    const curve = scenario.curves[i];
    const steps = stepsOf(scenario, i) ?? curve.map((_, k) => k);
    const asked = seen.decisions[i];
    assert.equal(seen.beforeReports[i], false, `trial ${i} was pruned before it reported anything`);
    assert.ok(
      asked.slice(0, -1).every((prune) => !prune),
      `trial ${i} went on after being told to stop`,
    );
    const pruned = asked[asked.length - 1];
    const reported = asked.length;
    assert.equal(t.state, pruned ? "PRUNED" : "COMPLETE", `trial ${i}`);
    assert.equal(t.value, pruned ? recordedValue(curve[reported - 1]) : curve[curve.length - 1], `value of trial ${i}`);
    assert.deepEqual(
      t.intermediateValues,
      Object.fromEntries(steps.slice(0, reported).map((step, k) => [step, curve[k]])),
      `reports of trial ${i}`,
    );
  }
}

function outcomeOf(trials: readonly TrialRecord[], seen: Decisions): Outcome {
  return { decisions: seen.decisions, states: trials.map((t) => t.state as "COMPLETE" | "PRUNED") };
}

function assertPrunesSome(outcome: Outcome, prunes: boolean, what: string): void {
  const pruned = outcome.states.filter((s) => s === "PRUNED").length;
  if (!prunes) {
    assert.equal(pruned, 0, `${what}: a pruner that never prunes pruned ${pruned} trials`);
    return;
  }
  assert.ok(pruned > 0 && pruned < outcome.states.length, `${what}: ${pruned} of ${outcome.states.length} trials pruned`);
}

/** One answer of a pruner, with a copy of the study it was shown. */
interface Call {
  trials: TrialRecord[];
  number: number;
  answer: boolean;
}

/** A pruner that keeps a copy of what it was shown at each call, and checks it changed none of it. */
function recordingPruner(inner: Pruner, calls: Call[]): Pruner {
  return {
    name: inner.name,
    prune(study, current) {
      const trials = structuredClone(study.trials() as TrialRecord[]);
      const answer = inner.prune(study, current);
      assert.deepEqual(study.trials(), trials, `${inner.name} changed the records it was shown`);
      calls.push({ trials, number: current.number, answer });
      return answer;
    },
  };
}

/** The kit's finished trials: COMPLETE with their curves, a PRUNED, a FAIL and a RUNNING one, for `direction`. */
function history(direction: StudyDirection, curves: number[][]): TrialRecord[] {
  const sign = direction === "minimize" ? 1 : -1;
  const signed = curves.map((curve) => curve.map((v) => sign * v));
  return [
    ...signed.slice(0, 10).map((curve, i) => trial(i, "COMPLETE", curve)),
    trial(10, "PRUNED", signed[10].slice(0, 4), signed[10][3]),
    trial(11, "FAIL", signed[11].slice(0, 6)),
    trial(12, "RUNNING", signed[12].slice(0, 5)),
  ];
}

/** Reports of the trial asked about in the non-finite case, over steps 0…7. */
function nonFiniteVariants(direction: StudyDirection): [string, number[]][] {
  const sign = direction === "minimize" ? 1 : -1;
  const base = CURVES[13].slice(0, 8).map((v) => sign * v);
  const at = (k: number, v: number) => base.map((b, j) => (j === k ? v : b));
  return [
    ["NaN last", at(7, NaN)],
    ["NaN in the middle", at(3, NaN)],
    ["only NaN", base.map(() => NaN)],
    ["+Infinity last", at(7, Infinity)],
    ["-Infinity last", at(7, -Infinity)],
    ["+Infinity in the middle", at(2, Infinity)],
    ["-Infinity in the middle", at(2, -Infinity)],
    ["NaN and infinities", at(1, NaN).map((v, j) => (j === 4 ? Infinity : j === 6 ? -Infinity : v))],
  ];
}

/** Registers the contract's cases for one pruner. */
export function prunerContract(name: string, makePruner: MakePruner, options: PrunerContractOptions): void {
  describe(`pruner contract: ${name}`, () => {
    const dir = suiteDirectory("tunebook-pruner-contract-");

    it("never prunes a trial before its first report", () => {
      for (const direction of ["minimize", "maximize"] as const) {
        const alone = trial(0, "RUNNING", []);
        assert.equal(makePruner(direction).prune(view([alone], direction), alone), false, `${direction}: the first trial`);
        const pruner = makePruner(direction);
        for (const curves of [CURVES, CURVES_NON_FINITE]) {
          const current = trial(13, "RUNNING", []);
          const study = view([...history(direction, curves), current], direction);
          // Asked again after other trials' reports: still nothing to judge.
          for (let k = 0; k < 3; k++) assert.equal(pruner.prune(study, current), false, `${direction}: after a history of trials`);
        }
      }
    });

    it("answers a trial with NaN or infinite reports the same each time, as a fresh pruner would", () => {
      for (const direction of ["minimize", "maximize"] as const) {
        const pruner = makePruner(direction);
        for (const curves of [CURVES, CURVES_NON_FINITE]) {
          for (const [what, reports] of nonFiniteVariants(direction)) {
            const current = trial(13, "RUNNING", reports);
            const records = [...history(direction, curves), current];
            const study = view(records, direction);
            const copy = structuredClone(records);
            const answer = pruner.prune(study, current);
            assert.equal(typeof answer, "boolean", what);
            assert.equal(pruner.prune(study, current), answer, `${direction}, ${what}: asked twice`);
            assert.deepEqual(records, copy, `${direction}, ${what}: the records were changed`);
            assert.equal(makePruner(direction).prune(study, current), answer, `${direction}, ${what}: a fresh pruner`);
            if (options.sparesNonFinite) {
              assert.equal(answer, false, `${direction}, ${what}: a trial with a non-finite report is spared`);
            } else if (!reports.some(Number.isNaN)) {
              // An infinite report counts as the most extreme value in its direction.
              const finite = trial(
                13,
                "RUNNING",
                reports.map((v) => (v === Infinity ? 1e300 : v === -Infinity ? -1e300 : v)),
              );
              const expected = makePruner(direction).prune(view([...history(direction, curves), finite], direction), finite);
              assert.equal(answer, expected, `${direction}, ${what}: answered unlike ±1e300`);
            }
          }
        }
      }
    });

    it("prunes a maximised study as the minimised one with negated values", () => {
      for (const concurrency of [1, 3]) {
        for (const curves of [CURVES, CURVES_NON_FINITE]) {
          const scenario = { title: name, studyName: `${name}-directions`, concurrency };
          const minimised = replay(makePruner("minimize"), { ...scenario, direction: "minimize", curves });
          const maximised = replay(makePruner("maximize"), { ...scenario, direction: "maximize", curves: negated(curves) });
          assert.deepEqual(maximised, minimised, `concurrency ${concurrency}`);
          assertPrunesSome(minimised, options.prunes, `concurrency ${concurrency}`);
        }
      }
    });

    it("judges trials reporting at steps far apart, uneven, or different in each trial", async () => {
      for (const [what, steps] of [
        ["gapped steps", GAPPED_STEPS],
        ["steps of their own", UNEVEN_STEPS],
      ] as [string, number[] | number[][]][]) {
        const scenario: Scenario = { title: what, direction: "minimize", studyName: `${name}-steps`, curves: CURVES, steps };
        const replayed = replay(makePruner("minimize"), scenario);
        assertPrunesSome(replayed, options.prunes, what);
        const study = await createStudy({ storage: new InMemoryStorage(), name: scenario.studyName, pruner: makePruner("minimize") });
        const seen = newDecisions();
        await runScenario(study, scenario, 0, TRIALS, seen);
        const trials = await study.trials();
        assertRecorded(trials, scenario, seen);
        assert.deepEqual(outcomeOf(trials, seen), replayed, `${what}: in a study as when replayed`);
      }
    });

    it("in a study, records pruned trials PRUNED with their last value and the others COMPLETE", async () => {
      for (const direction of ["minimize", "maximize"] as const) {
        const curves = direction === "minimize" ? CURVES_NON_FINITE : negated(CURVES_NON_FINITE);
        const scenario: Scenario = { title: name, direction, studyName: `${name}-study`, curves };
        const study = await createStudy({
          storage: new InMemoryStorage(),
          name: scenario.studyName,
          direction,
          pruner: makePruner(direction),
        });
        const seen = newDecisions();
        await runScenario(study, scenario, 0, TRIALS, seen);
        const trials = await study.trials();
        assertRecorded(trials, scenario, seen);
        const outcome = outcomeOf(trials, seen);
        assert.deepEqual(outcome, replay(makePruner(direction), scenario), `${direction}: in a study as when replayed`);
        assertPrunesSome(outcome, options.prunes, direction);
      }
    });

    it("judges trials running at the same time from what it is shown, without changing it", async () => {
      const scenario: Scenario = {
        title: name,
        direction: "minimize",
        studyName: `${name}-parallel`,
        curves: CURVES_NON_FINITE,
        concurrency: 4,
      };
      const calls: Call[] = [];
      const study = await createStudy({
        storage: new InMemoryStorage(),
        name: scenario.studyName,
        pruner: recordingPruner(makePruner("minimize"), calls),
      });
      const seen = newDecisions();
      await runScenario(study, scenario, 0, TRIALS, seen);
      const trials = await study.trials();
      assertRecorded(trials, scenario, seen);
      assertPrunesSome(outcomeOf(trials, seen), options.prunes, "concurrency 4");
      const reporting = (call: Call) =>
        call.trials.filter((t) => t.state === "RUNNING" && t.number !== call.number && Object.keys(t.intermediateValues).length > 0);
      assert.ok(
        calls.some((call) => reporting(call).length > 0),
        "some trial was judged while others were running",
      );
      // A fresh pruner shown the same studies in the same order gives the same answers.
      const fresh = makePruner("minimize");
      for (const call of calls) {
        const current = call.trials.find((t) => t.number === call.number)!;
        assert.equal(fresh.prune(view(call.trials, "minimize", scenario.studyName), current), call.answer, `trial ${call.number}`);
      }
    });

    it("prunes a study resumed from SQLite, its direction read back, as if it had never stopped", async () => {
      const scenario: Scenario = { title: name, direction: "maximize", studyName: `${name}-resumed`, curves: negated(CURVES_NON_FINITE) };
      const create = (storage: StorageSpec) =>
        createStudy({ storage, name: scenario.studyName, direction: "maximize", pruner: makePruner("maximize") });
      const url = `sqlite:${join(dir(), "resumed.db")}`;
      const seen = newDecisions();
      await runScenario(await create(url), scenario, 0, TRIALS / 2, seen);
      await closeStorages();
      const resumed = await createStudy({ storage: url, name: scenario.studyName, pruner: makePruner("maximize"), loadIfExists: true });
      assert.equal(resumed.direction, "maximize");
      assert.equal((await resumed.trials()).length, TRIALS / 2, "the first session's trials are back");
      await runScenario(resumed, scenario, TRIALS / 2, TRIALS, seen);
      const trials = await resumed.trials();
      assertRecorded(trials, scenario, seen);

      const uninterrupted = newDecisions();
      const live = await create(new InMemoryStorage());
      await runScenario(live, scenario, 0, TRIALS, uninterrupted);
      assert.deepEqual(outcomeOf(trials, seen), outcomeOf(await live.trials(), uninterrupted));
    });
  });
}
