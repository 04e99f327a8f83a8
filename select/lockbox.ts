/**
 * A locked test set ("lockbox"): rows split off before tuning, sealed, and handed over only
 * by `study.evaluateTest` — once, or again when asked for and counted — so the final score
 * comes from rows no tuning decision saw.
 */
import { createHash } from "node:crypto";
import type { DataFrame, Series } from "danfojs-node";
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import type { DatasetArrays } from "../learn/datasets.js";
import { type Label, uniqueLabels } from "../learn/labels.js";
import { trainTestSplit } from "../learn/splitters/train-test-split.js";
import { Study } from "../tune/study.js";
import { type LockedTestSet, registerTestSet, sealTestSet } from "../tune/test-set.js";

/**
 * What `lockbox` splits: a dataset as `loadDataset`, `datasetFromCsv` or `loadArrays` return it
 * (X, y, and the DataFrame when there is one), or `{ X, y }` as arrays or danfo.js frames.
 */
export type LockboxData =
  | (DatasetArrays & { frame?: DataFrame })
  | { X: readonly (readonly unknown[])[] | DataFrame; y: readonly Label[] | Series };

export interface LockboxOptions {
  /** The study the test rows are locked in: its `evaluateTest` hands them over. Required. */
  study: Study;
  /** Test share: a fraction in (0, 1) or a row count. Default 0.2. */
  testSize?: number;
  /** Keep y's class proportions in both halves (classification only). Default false. */
  stratify?: boolean;
  /** Shuffle before splitting. false locks the last rows away (e.g. the latest of a time series). Default true. */
  shuffle?: boolean;
  /**
   * Seed of the shuffle. Required when shuffling: reopening the study (another process, a
   * restarted notebook) must lock the very same rows away again.
   */
  seed?: number;
}

export interface Lockbox<D> {
  /** The rows to tune on, in the shape of the input. */
  train: D;
  /** The test rows, sealed: only `study.evaluateTest` opens them. */
  test: LockedTestSet<D>;
}

const WHERE = "lockbox";
const OPTION_KEYS = ["study", "testSize", "stratify", "shuffle", "seed"];
/** Properties of a dataset lockbox knows how to split or keep. */
const DATA_KEYS = new Set(["X", "y", "frame", "task", "classes", "featureNames", "targetName"]);

/**
 * Splits `data` into rows to tune on and a test set locked in `options.study` (scikit-learn's
 * `train_test_split` through `trainTestSplit`; stratified on y with `stratify: true`):
 * `const { train, test } = await lockbox(dataset, { study, testSize: 0.2, stratify: true, seed: 1 })`.
 * A study that already has a test set takes only the same rows again (their fingerprint
 * matches) and keeps counting their looks; another split is refused.
 */
export async function lockbox<D extends LockboxData>(data: D, options: LockboxOptions): Promise<Lockbox<D>> {
  const { study, testSize, stratify, shuffle, seed } = checkOptions(options);
  const { y, n } = checkData(data);
  if (stratify && "task" in data && data.task === "regression") {
    throw new ValueError(
      `${WHERE}: stratify needs class labels, and this dataset's task is regression (target ${show(data.targetName)}); leave stratify out.`,
    );
  }
  let fold: { train: number[]; test: number[] };
  try {
    fold = trainTestSplit(n, { testSize, shuffle, seed, ...(stratify ? { stratify: valuesOf(y) } : {}) });
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`${WHERE}: ${error.message}`);
    throw error;
  }
  const train = pick(data, fold.train);
  const test = pick(data, fold.test);
  const sealed = sealTestSet(test, fold.test.length, fingerprint(test));
  await registerTestSet(study, sealed, WHERE);
  return { train, test: sealed };
}

function checkOptions(options: LockboxOptions): Required<Pick<LockboxOptions, "study" | "testSize" | "stratify" | "shuffle">> & {
  seed: number | undefined;
} {
  if (options === null || typeof options !== "object") {
    throw new ValueError(`${WHERE}: options must be an object like { study, testSize: 0.2, seed: 1 }, got ${show(options)}.`);
  }
  checkOptionKeys(WHERE, options, OPTION_KEYS);
  if (!(options.study instanceof Study)) {
    throw new ValueError(
      `${WHERE}: study must be the Study to lock the test rows in (from createStudy or loadStudy), got ${show(options.study)}.`,
    );
  }
  const stratify = options.stratify ?? false;
  const shuffle = options.shuffle ?? true;
  if (typeof stratify !== "boolean") throw new ValueError(`${WHERE}: stratify must be true or false, got ${show(stratify)}.`);
  if (typeof shuffle !== "boolean") throw new ValueError(`${WHERE}: shuffle must be true or false, got ${show(shuffle)}.`);
  if (stratify && !shuffle) throw new ValueError(`${WHERE}: a stratified split needs shuffle: true (or leave stratify out).`);
  if (shuffle && options.seed === undefined) {
    throw new ValueError(
      `${WHERE}: give a seed (e.g. seed: 1), so that reopening the study locks the same rows away again; or shuffle: false to lock the last rows away.`,
    );
  }
  return { study: options.study, testSize: options.testSize ?? 0.2, stratify, shuffle, seed: options.seed };
}

/** A danfo.js DataFrame (two dimensions) or Series (one); both index rows with `iloc`. */
function danfoDims(value: unknown): number | null {
  if (value === null || typeof value !== "object" || !("iloc" in value) || !("ndim" in value)) return null;
  return typeof value.ndim === "number" ? value.ndim : null;
}

function isFrame(value: unknown): value is DataFrame {
  return danfoDims(value) === 2;
}

function isSeries(value: unknown): value is Series {
  return danfoDims(value) === 1;
}

function valuesOf(y: readonly Label[] | Series): readonly Label[] {
  return Array.isArray(y) ? y : ((y as Series).values as Label[]);
}

/** Rows in `x`: an array's length, a frame's or series' row count. */
function rowCount(x: unknown): number | null {
  if (Array.isArray(x)) return x.length;
  if (isFrame(x)) return x.shape[0];
  if (isSeries(x)) return x.values.length;
  return null;
}

function checkData(data: LockboxData): { X: unknown; y: readonly Label[] | Series; n: number } {
  if (data === null || typeof data !== "object" || !("X" in data) || !("y" in data)) {
    throw new ValueError(
      `${WHERE}: expected a dataset from loadDataset, datasetFromCsv or loadArrays, or { X, y } (arrays or danfo.js frames), got ${show(data)}.`,
    );
  }
  for (const key of Object.keys(data)) {
    if (!DATA_KEYS.has(key)) {
      throw new ValueError(
        `${WHERE}: the data has a property ${show(key)} that lockbox cannot split; pass a dataset (X, y, frame, ...) or { X, y }.`,
      );
    }
  }
  const n = rowCount(data.X);
  if (n === null) throw new ValueError(`${WHERE}: X must be an array of rows or a danfo.js DataFrame, got ${show(data.X)}.`);
  const sizes: [string, number | null][] = [["y", rowCount(data.y)]];
  if ("frame" in data && data.frame !== undefined) sizes.push(["frame", rowCount(data.frame)]);
  for (const [name, size] of sizes) {
    if (size === null)
      throw new ValueError(`${WHERE}: ${name} must be an array or a danfo.js ${name === "frame" ? "DataFrame" : "Series"}.`);
    if (size !== n)
      throw new ValueError(`${WHERE}: X has ${n} rows but ${name} has ${size}; every part of the data needs one entry per row.`);
  }
  return { X: data.X, y: data.y, n };
}

/** The rows at `rows` of each part of the data, in the data's own shape. */
function pick<D extends LockboxData>(data: D, rows: readonly number[]): D {
  const part = (x: unknown): unknown => {
    if (Array.isArray(x)) return rows.map((i) => x[i]);
    if (isFrame(x)) return x.iloc({ rows: [...rows] });
    if (isSeries(x)) return x.iloc([...rows]);
    return x;
  };
  const picked: Record<string, unknown> = { ...data, X: part(data.X), y: part(data.y) };
  if ("frame" in data && data.frame !== undefined) picked.frame = part(data.frame);
  // A dataset's classes are the labels of its own y.
  if ("classes" in data && Array.isArray(data.classes)) picked.classes = uniqueLabels(WHERE, picked.y as Label[]);
  return picked as D;
}

/** A hash of the test rows' features and targets, in row order. */
function fingerprint(test: LockboxData): string {
  const rows = (x: unknown) => (isFrame(x) ? x.values : isSeries(x) ? x.values : x);
  return createHash("sha256")
    .update(JSON.stringify([rows(test.X), rows(test.y)]))
    .digest("hex")
    .slice(0, 16);
}
