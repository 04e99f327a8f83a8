import { checkOptionKeys, show, TunebookError, ValueError } from "../core/errors.js";
import { isPlainObject, userAttrs } from "../core/json.js";
import type { JsonValue, TrialRecord } from "../core/records.js";
import type { Study } from "./study.js";
import { LOCKBOX_ATTR, type LockboxLook, type LockboxRecord, lockboxRecord, testSetUses } from "./test-set-record.js";

/**
 * The lock on a study's test set. `lockbox` (tunebook/select) splits the data and seals the
 * test rows in a `LockedTestSet` registered with the study; only `study.evaluateTest` hands
 * them over, inside its callback, and every look is counted in storage, so a second look —
 * from this process or any other — must be asked for with `{ again: true }`.
 */

/** The test set's lock refused: no test set registered, another split, or a look not asked for again. */
export class TestSetLockedError extends TunebookError {}

/** The rows of each sealed test set, out of reach of anything but `evaluateTest`. */
const sealedRows = new WeakMap<LockedTestSet<unknown>, unknown>();
const sealedInfo = new WeakMap<LockedTestSet<unknown>, { size: number; fingerprint: string }>();
/** The test set each study object was given by `lockbox`. */
const registered = new WeakMap<Study, LockedTestSet<unknown>>();

/**
 * A test set whose rows cannot be read: it has no properties of its own, and prints and
 * serialises as `locked test set: N rows, use study.evaluateTest`.
 */
export class LockedTestSet<T> {
  /** @internal Use `sealTestSet`. */
  constructor(rows: T, size: number, fingerprint: string) {
    sealedRows.set(this, rows);
    sealedInfo.set(this, { size, fingerprint });
  }

  /** Number of test rows. */
  get size(): number {
    return sealedInfo.get(this)!.size;
  }

  /** Hash of the test rows (see `LockboxRecord.fingerprint`). */
  get fingerprint(): string {
    return sealedInfo.get(this)!.fingerprint;
  }

  toString(): string {
    return `locked test set: ${this.size} rows, use study.evaluateTest`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Seals `rows` (`size` of them, hashed to `fingerprint`) in a test set only `evaluateTest` opens. */
export function sealTestSet<T>(rows: T, size: number, fingerprint: string): LockedTestSet<T> {
  return new LockedTestSet(rows, size, fingerprint);
}

function refuseOtherSplit(where: string, study: Study, recorded: LockboxRecord, given: LockedTestSet<unknown>): never {
  throw new TestSetLockedError(
    `${where}: study ${show(study.name)} already has a locked test set of ${recorded.testRows} rows (fingerprint ${recorded.fingerprint}, ${testSetUses(recorded)}); ` +
      `these test rows differ (fingerprint ${given.fingerprint}, ${given.size} rows). Lock the same rows away again (the same data, testSize, stratify, shuffle and seed), ` +
      `or create a new study for a new split.`,
  );
}

async function readRecord(study: Study): Promise<LockboxRecord | null> {
  return lockboxRecord((await study.storage.getStudy(study.studyId)).systemAttrs);
}

async function writeRecord(study: Study, record: LockboxRecord): Promise<void> {
  await study.storage.setStudySystemAttr(study.studyId, LOCKBOX_ATTR, record as unknown as JsonValue);
}

/**
 * Registers a sealed test set with the study: recorded in storage the first time; a study that
 * already has one accepts only the same rows (same fingerprint), whose looks it keeps counting.
 */
export async function registerTestSet(study: Study, testSet: LockedTestSet<unknown>, where = "lockbox"): Promise<void> {
  if (!(testSet instanceof LockedTestSet)) throw new ValueError(`${where}: expected a LockedTestSet, got ${show(testSet)}.`);
  const recorded = await readRecord(study);
  if (recorded === null) await writeRecord(study, { testRows: testSet.size, fingerprint: testSet.fingerprint, looks: [] });
  else if (recorded.fingerprint !== testSet.fingerprint) refuseOtherSplit(where, study, recorded, testSet);
  registered.set(study, testSet);
}

/** What `evaluateTest` hands its callback by default: the test part of what `lockbox` split (pass `typeof train` as `T` for other shapes). */
export interface TestRows {
  X: number[][];
  y: (number | string)[];
}

/** A test score, or an object with one (`score`) and other JSON values kept with the look. */
export type TestScore = number | ({ score: number } & Record<string, unknown>);

/** Fits with the trial's parameters on the train rows and scores on the test rows it is handed. */
export type FitAndScore<T> = (rows: T, trial: TrialRecord) => TestScore | Promise<TestScore>;

export interface EvaluateTestOptions {
  /** Look again although the test set was used before (each look is counted and shown). Default false: refused. */
  again?: boolean;
  /** Number of the trial whose parameters are scored. Default: the study's best trial (needed with several objectives). */
  trial?: number;
}

/**
 * `study.evaluateTest`: hands the test rows to `fitAndScore` and records the look — its time,
 * the trial, that trial's value and the test score — in the study. The look is recorded before
 * the rows are handed over, so it counts even if the callback throws.
 */
export async function evaluateTest<T>(study: Study, fitAndScore: FitAndScore<T>, options: EvaluateTestOptions = {}): Promise<number> {
  const where = "evaluateTest";
  checkOptionKeys(where, options, ["again", "trial"]);
  if (typeof fitAndScore !== "function") {
    throw new ValueError(
      `${where}: expected a function (rows, trial) => score that fits on the train rows and scores on these, got ${show(fitAndScore)}.`,
    );
  }
  if (options.again !== undefined && typeof options.again !== "boolean") {
    throw new ValueError(`${where}: again must be true or false, got ${show(options.again)}.`);
  }
  if (options.trial !== undefined && !(typeof options.trial === "number" && Number.isInteger(options.trial) && options.trial >= 0)) {
    throw new ValueError(`${where}: trial must be a trial number (an integer >= 0), got ${show(options.trial)}.`);
  }
  const recorded = await readRecord(study);
  const testSet = registered.get(study);
  if (recorded !== null && recorded.looks.length > 0 && !options.again) refuseAgain(study, recorded);
  if (testSet === undefined) {
    const has =
      recorded === null
        ? "has no locked test set"
        : `has a locked test set of ${recorded.testRows} rows, but none was registered with this Study object`;
    throw new TestSetLockedError(
      `${where}: study ${show(study.name)} ${has}: call lockbox(data, { study, seed, ... }) first` +
        (recorded === null
          ? ", before tuning, and tune on its train rows only."
          : " with the same data and options; it locks the same rows away again."),
    );
  }
  if (recorded !== null && recorded.fingerprint !== testSet.fingerprint) refuseOtherSplit(where, study, recorded, testSet);
  const trial = await scoredTrial(study, options.trial);

  const look: LockboxLook = { at: new Date().toISOString(), trialNumber: trial.number, validation: trial.value, test: null };
  const index = await appendLook(study, testSet, look);
  let result: unknown;
  try {
    result = await fitAndScore(sealedRows.get(testSet) as T, structuredClone(trial));
  } catch (error) {
    await updateLook(study, index, { error: `the callback threw: ${(error as Error)?.message ?? String(error)}` });
    throw error;
  }
  let scored: { score: number; details?: Record<string, JsonValue> };
  try {
    scored = readScore(where, result);
  } catch (error) {
    await updateLook(study, index, { error: (error as Error).message });
    throw error;
  }
  await updateLook(study, index, { test: scored.score, ...(scored.details ? { details: scored.details } : {}) });
  return scored.score;
}

function refuseAgain(study: Study, recorded: LockboxRecord): never {
  const last = recorded.looks.at(-1)!;
  const score = last.test === null ? "no score" : `test ${last.test}`;
  throw new TestSetLockedError(
    `evaluateTest: the locked test set of study ${show(study.name)} was already used ${recorded.looks.length} time${recorded.looks.length === 1 ? "" : "s"} ` +
      `(last at ${last.at}, trial ${last.trialNumber}: ${score}). A score from a test set seen before is less honest; ` +
      `to look again anyway, call study.evaluateTest(fitAndScore, { again: true }): the look is counted and shown with the study.`,
  );
}

/** The trial `options.trial` names (a COMPLETE one), else the best trial. */
async function scoredTrial(study: Study, number: number | undefined): Promise<TrialRecord> {
  if (number === undefined) {
    if (study.directions.length > 1) {
      throw new ValueError(
        `evaluateTest: study ${show(study.name)} has ${study.directions.length} objectives, so no single best trial; pass { trial: n } with the trial of the Pareto front to score.`,
      );
    }
    try {
      return await study.best();
    } catch (error) {
      if (!(error instanceof TunebookError)) throw error;
      throw new TunebookError(
        `evaluateTest: ${error.message} Tune on the train rows first, then score the best trial on the test set (or pass { trial: n }).`,
      );
    }
  }
  const trial = await study.storage.getTrialByNumber(study.studyId, number);
  if (!trial) throw new ValueError(`evaluateTest: study ${show(study.name)} has no trial number ${number}.`);
  if (trial.state !== "COMPLETE") {
    throw new ValueError(
      `evaluateTest: trial ${number} of study ${show(study.name)} is ${trial.state}; score a COMPLETE trial's parameters.`,
    );
  }
  return trial;
}

/** The score and the other JSON values of what the callback returned. */
function readScore(where: string, result: unknown): { score: number; details?: Record<string, JsonValue> } {
  if (typeof result === "number" && Number.isFinite(result)) return { score: result };
  if (isPlainObject(result) && typeof result.score === "number" && Number.isFinite(result.score)) {
    const { score, ...rest } = result;
    return Object.keys(rest).length === 0 ? { score } : { score, details: userAttrs(`${where}: the callback's result`, rest) };
  }
  throw new ValueError(
    `${where}: the callback must return a finite number or { score: number, ... }, got ${show(result)}. The look was counted; fix the callback and look again with { again: true }.`,
  );
}

async function appendLook(study: Study, testSet: LockedTestSet<unknown>, look: LockboxLook): Promise<number> {
  const record = (await readRecord(study)) ?? { testRows: testSet.size, fingerprint: testSet.fingerprint, looks: [] };
  record.looks.push(look);
  await writeRecord(study, record);
  return record.looks.length - 1;
}

async function updateLook(study: Study, index: number, patch: Partial<LockboxLook>): Promise<void> {
  const record = await readRecord(study);
  if (record === null || index >= record.looks.length) return;
  Object.assign(record.looks[index], patch);
  await writeRecord(study, record);
}
