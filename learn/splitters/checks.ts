/** Argument checks and small helpers shared by the splitters. */
import { show, ValueError } from "../../core/errors.js";
import { type Label, uniqueLabels } from "../labels.js";
import type { Fold, SplitInput } from "./types.js";

/** The number of rows, from `n`, `y` or `groups`, which must agree. */
export function sampleCount(where: string, input: SplitInput | undefined): number {
  if (input == null || typeof input !== "object") {
    throw new ValueError(`${where}.split: expected { n?, y?, groups? }, got ${show(input)}.`);
  }
  const { n, y, groups } = input;
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) {
    throw new ValueError(`${where}.split: n must be a non-negative integer, got ${show(n)}.`);
  }
  if (y !== undefined && !Array.isArray(y)) throw new ValueError(`${where}.split: y must be an array, got ${show(y)}.`);
  if (groups !== undefined && !Array.isArray(groups)) {
    throw new ValueError(`${where}.split: groups must be an array, got ${show(groups)}.`);
  }
  const lengths: [string, number][] = [];
  if (n !== undefined) lengths.push(["n", n]);
  if (y !== undefined) lengths.push(["y", y.length]);
  if (groups !== undefined) lengths.push(["groups", groups.length]);
  if (lengths.length === 0) throw new ValueError(`${where}.split: give the number of rows n, or y, or groups.`);
  const [firstName, first] = lengths[0];
  for (const [name, length] of lengths.slice(1)) {
    if (length !== first) {
      throw new ValueError(`${where}.split: inconsistent numbers of rows: ${firstName} has ${first}, ${name} has ${length}.`);
    }
  }
  return first;
}

/** `nSplits` is an integer of at least 2 (scikit-learn's rule for every k-fold). */
export function checkNSplits(where: string, nSplits: unknown): number {
  if (typeof nSplits !== "number" || !Number.isInteger(nSplits)) {
    throw new ValueError(`${where}: nSplits must be an integer, got ${show(nSplits)}.`);
  }
  if (nSplits < 2) {
    throw new ValueError(
      `${where}: cross-validation requires at least one train/test split by setting nSplits=2 or more, ` + `got nSplits=${nSplits}.`,
    );
  }
  return nSplits;
}

export function checkPositiveInteger(where: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${where}: ${name} must be an integer >= ${min}, got ${show(value)}.`);
  }
  return value;
}

export { checkSeed } from "../../core/rng.js";

/** A seed without shuffling does nothing; scikit-learn says so rather than ignore it. */
export function checkSeedNeedsShuffle(where: string, shuffle: boolean, seed: number | undefined): void {
  if (!shuffle && seed !== undefined) {
    throw new ValueError(`${where}: seed=${seed} has no effect since shuffle is false. Leave seed out, or set shuffle: true.`);
  }
}

export function requireGroups(where: string, input: SplitInput): readonly Label[] {
  if (input.groups === undefined) {
    throw new ValueError(`${where}.split: the groups are missing; pass split({ groups }) with one group label per row.`);
  }
  uniqueLabels(`${where}.split groups`, input.groups);
  return input.groups;
}

/** Class labels for a stratified splitter: present, and a classification target. */
export function requireClassLabels(where: string, input: SplitInput): readonly Label[] {
  if (input.y === undefined) {
    throw new ValueError(`${where}.split: stratification needs the class labels; pass split({ y }).`);
  }
  const y = input.y;
  uniqueLabels(`${where}.split y`, y);
  const continuous = y.find((value) => typeof value === "number" && !Number.isInteger(value));
  if (continuous !== undefined) {
    throw new ValueError(
      `${where}.split: y looks continuous (e.g. ${show(continuous)}); stratification supports class labels only. ` +
        `Use KFold for a regression target.`,
    );
  }
  return y;
}

/** `0..n-1`. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** A fold from a per-row test flag: both halves sorted, like scikit-learn's masks over `arange(n)`. */
export function foldFromMask(isTest: (row: number) => boolean, n: number): Fold {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest(i) ? test : train).push(i);
  return { train, test };
}

/** Folds from a per-row fold number in `0..nFolds-1`. */
export function foldsFromAssignment(foldOf: ArrayLike<number>, nFolds: number): Fold[] {
  const folds: Fold[] = [];
  for (let f = 0; f < nFolds; f++) folds.push(foldFromMask((i) => foldOf[i] === f, foldOf.length));
  return folds;
}

export function ascending(a: number, b: number): number {
  return a - b;
}

/** `Name(key=value, ...)`, skipping undefined values. */
export function describe(name: string, options: Record<string, unknown>): string {
  const parts = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : show(value)}`);
  return `${name}(${parts.join(", ")})`;
}
