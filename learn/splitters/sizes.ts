import { show, ValueError } from "../../core/errors.js";

/**
 * Train and test row counts from `testSize`/`trainSize`, each a fraction in
 * (0, 1) or a row count (an integer >= 1), with scikit-learn's rounding: the
 * test share rounds up, the train share down, and an unset side takes the rest.
 */
export function resolveSizes(
  where: string,
  n: number,
  testSize: number | undefined,
  trainSize: number | undefined,
  defaultTestSize: number,
): { nTrain: number; nTest: number } {
  if (testSize === undefined && trainSize === undefined) testSize = defaultTestSize;
  checkSize(where, "testSize", testSize, n);
  checkSize(where, "trainSize", trainSize, n);
  if (testSize !== undefined && trainSize !== undefined && testSize < 1 && trainSize < 1 && testSize + trainSize > 1) {
    throw new ValueError(
      `${where}: the sum of testSize and trainSize = ${testSize + trainSize} should be in the (0, 1) range. ` +
        `Reduce testSize and/or trainSize.`,
    );
  }
  let nTest = testSize === undefined ? undefined : testSize < 1 ? Math.ceil(testSize * n) : testSize;
  let nTrain = trainSize === undefined ? undefined : trainSize < 1 ? Math.floor(trainSize * n) : trainSize;
  if (nTrain === undefined) nTrain = n - nTest!;
  if (nTest === undefined) nTest = n - nTrain;
  if (nTrain + nTest > n) {
    throw new ValueError(
      `${where}: the sum of train and test rows = ${nTrain + nTest} should not exceed the number of samples ${n}. ` +
        `Reduce testSize and/or trainSize.`,
    );
  }
  if (nTrain === 0) {
    throw new ValueError(
      `${where}: with n=${n}, testSize=${show(testSize)} and trainSize=${show(trainSize)}, the train set would be empty. ` +
        `Lower testSize or raise trainSize.`,
    );
  }
  if (nTest === 0) {
    throw new ValueError(
      `${where}: with n=${n}, testSize=${show(testSize)} and trainSize=${show(trainSize)}, the test set would be empty. ` +
        `Raise testSize.`,
    );
  }
  return { nTrain, nTest };
}

/** Reject sizes that no row count could make valid, before any data is seen. */
export function checkSizeOption(where: string, name: string, size: unknown): number | undefined {
  if (size === undefined) return undefined;
  if (typeof size !== "number" || !Number.isFinite(size) || size <= 0 || (size >= 1 && !Number.isInteger(size))) {
    throw new ValueError(
      `${where}: ${name}=${show(size)} should be either a row count (an integer >= 1) or a fraction in the (0, 1) range.`,
    );
  }
  return size;
}

function checkSize(where: string, name: string, size: number | undefined, n: number): void {
  if (size === undefined) return;
  const valid =
    typeof size === "number" && Number.isFinite(size) && ((size > 0 && size < 1) || (Number.isInteger(size) && size >= 1 && size < n));
  if (!valid) {
    throw new ValueError(
      `${where}: ${name}=${show(size)} should be either a row count (an integer >= 1 and smaller than the number ` +
        `of samples ${n}) or a fraction in the (0, 1) range.`,
    );
  }
}

/**
 * Split `nDraws` over classes in proportion to `counts`, flooring, then hand
 * the rows left over to the classes with the largest remainders (ties drawn at
 * random) — scikit-learn's `_approximate_mode`.
 */
export function approximateMode(counts: readonly number[], nDraws: number, pick: (candidates: number[], k: number) => number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c / total) * nDraws);
  const floored = continuous.map(Math.floor);
  let needToAdd = Math.round(nDraws - floored.reduce((a, b) => a + b, 0));
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const candidates = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(candidates.length, needToAdd);
      for (const i of pick(candidates, addNow)) floored[i]++;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}
