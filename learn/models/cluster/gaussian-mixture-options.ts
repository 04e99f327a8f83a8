/** The options of GaussianMixture and their checks: numbers, choices, and the shapes of the starting weights, means and precisions. */
import { checkChoice, checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import { checkSeed } from "../../../core/rng.js";
import type { Features } from "../../estimator.js";
import { checkPositiveInteger } from "../../splitters/checks.js";
import { type CovarianceArray, type CovarianceShapes, type CovarianceType, choleskyLower } from "./gaussian-mixture-em.js";
import { checkNumberAbove } from "./options.js";

/**
 * How the responsibilities of the first E-step are set: from the labels of one
 * seeded KMeans run ("kmeans"), one row per component chosen by k-means++ seeding
 * ("k-means++") or uniformly ("random_from_data"), or uniform random weights ("random").
 */
export type MixtureInit = "kmeans" | "k-means++" | "random" | "random_from_data";

export interface GaussianMixtureOptions<T extends CovarianceType = CovarianceType> {
  /** Number of Gaussian components. Default 1, or the length of a given weightsInit, meansInit or precisionsInit. */
  nComponents?: number;
  /** "full" (default): a covariance matrix per component; "tied": one matrix shared; "diag": per-feature variances per component; "spherical": one variance per component. */
  covarianceType?: T;
  /** Convergence threshold on the change of the lower bound (the mean log-likelihood) between iterations. Default 1e-3. */
  tol?: number;
  /** Added to the diagonal of every covariance, keeping it positive definite. Default 1e-6. */
  regCovar?: number;
  /** Most EM iterations in one run. Default 100. */
  maxIter?: number;
  /** Runs from different starts; the one of highest lower bound is kept. Default 1. */
  nInit?: number;
  /** How each run starts (see `MixtureInit`). Default "kmeans". */
  initParams?: MixtureInit;
  /** Starting weights, one per component, summing to 1. Default: from initParams. */
  weightsInit?: readonly number[];
  /** Starting means, one row per component. Default: from initParams. */
  meansInit?: Features;
  /** Starting precisions (inverse covariances), shaped as the covariances of covarianceType. Default: from initParams. */
  precisionsInit?: CovarianceShapes[T];
  /** Seed of the starts. Default: a fresh random seed. */
  seed?: number;
}

const KEYS = [
  "nComponents",
  "covarianceType",
  "tol",
  "regCovar",
  "maxIter",
  "nInit",
  "initParams",
  "weightsInit",
  "meansInit",
  "precisionsInit",
  "seed",
];

/** The validated options. */
export interface MixtureSettings {
  nComponents: number;
  covarianceType: CovarianceType;
  tol: number;
  regCovar: number;
  maxIter: number;
  nInit: number;
  initParams: MixtureInit;
  weightsInit: number[] | undefined;
  meansInit: number[][] | undefined;
  precisionsInit: CovarianceArray | undefined;
  /** The feature count the init arrays imply, if any. */
  width: number | undefined;
  seed: number | undefined;
}

function isNumbers(value: unknown, length?: number): value is number[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((v) => typeof v === "number" && Number.isFinite(v))
  );
}

/** A k×w matrix of finite numbers (w = the width of its first row unless given), or a ValueError. */
function checkMatrix(where: string, name: string, value: unknown, rows: number | undefined, width?: number): number[][] {
  const shape = `${rows ?? "k"}×${width ?? "d"}`;
  if (!Array.isArray(value) || value.length === 0 || (rows !== undefined && value.length !== rows)) {
    throw new ValueError(`${where}: ${name} must be a ${shape} array of numbers, got ${show(value)}.`);
  }
  const w = width ?? (Array.isArray(value[0]) ? value[0].length : 0);
  value.forEach((row, i) => {
    if (w === 0 || !isNumbers(row, w)) {
      throw new ValueError(`${where}: ${name}[${i}] = ${show(row)} is not a row of ${w || "some"} finite numbers (${name} is ${shape}).`);
    }
  });
  return value.map((row: number[]) => row.slice());
}

/** A symmetric positive definite matrix, or a ValueError naming it. */
function checkPrecisionMatrix(where: string, name: string, matrix: number[][]): void {
  const symmetric = matrix.every((row, a) => row.every((v, b) => Math.abs(v - matrix[b][a]) <= 1e-8 + 1e-5 * Math.abs(matrix[b][a])));
  if (!symmetric || choleskyLower(matrix) === undefined) {
    throw new ValueError(
      `${where}: ${name} must be symmetric and positive definite, got ${show(matrix)}; pass the inverse of a covariance matrix.`,
    );
  }
}

function checkPositive(where: string, name: string, values: number[]): void {
  values.forEach((v, i) => {
    if (!(v > 0))
      throw new ValueError(`${where}: ${name}[${i}] = ${show(v)} is not a positive precision; precisions are inverse variances.`);
  });
}

/** The precisions for this covariance type, and the component count and width they imply. */
function checkPrecisions(
  where: string,
  type: CovarianceType,
  value: unknown,
  k: number | undefined,
): { precisions: CovarianceArray; k: number | undefined; width: number } {
  const name = "precisionsInit";
  if (type === "spherical") {
    if (!isNumbers(value, k) || value.length === 0)
      throw new ValueError(`${where}: ${name} must be ${k ?? "k"} numbers for covarianceType "spherical", got ${show(value)}.`);
    checkPositive(where, name, value);
    return { precisions: value.slice(), k: value.length, width: 0 };
  }
  if (type === "diag") {
    const rows = checkMatrix(where, name, value, k);
    rows.forEach((row, j) => {
      checkPositive(where, `${name}[${j}]`, row);
    });
    return { precisions: rows, k: rows.length, width: rows[0].length };
  }
  if (type === "tied") {
    const matrix = checkMatrix(where, name, value, undefined);
    if (matrix.length !== matrix[0].length)
      throw new ValueError(`${where}: ${name} must be one d×d matrix for covarianceType "tied", got ${show(value)}.`);
    checkPrecisionMatrix(where, name, matrix);
    return { precisions: matrix, k: undefined, width: matrix.length };
  }
  if (!Array.isArray(value) || value.length === 0 || (k !== undefined && value.length !== k)) {
    throw new ValueError(`${where}: ${name} must be ${k ?? "k"} d×d matrices for covarianceType "full", got ${show(value)}.`);
  }
  const d = Array.isArray(value[0]) ? value[0].length : 0;
  const matrices = value.map((m, j) => checkMatrix(where, `${name}[${j}]`, m, d, d));
  matrices.forEach((m, j) => {
    checkPrecisionMatrix(where, `${name}[${j}]`, m);
  });
  return { precisions: matrices, k: matrices.length, width: d };
}

export function checkMixtureOptions(where: string, options: GaussianMixtureOptions): MixtureSettings {
  checkOptionKeys(where, options, KEYS);
  const covarianceType = checkChoice(where, "covarianceType", options.covarianceType, ["full", "tied", "diag", "spherical"], "full");
  const initParams = checkChoice(where, "initParams", options.initParams, ["kmeans", "k-means++", "random", "random_from_data"], "kmeans");
  let k = options.nComponents === undefined ? undefined : checkPositiveInteger(where, "nComponents", options.nComponents);
  const counted = (name: string, length: number) => {
    if (k !== undefined && k !== length) {
      throw new ValueError(
        `${where}: ${name} gives ${length} components but nComponents is ${k}; give both the same number, or leave nComponents out.`,
      );
    }
    k = length;
  };

  let weightsInit: number[] | undefined;
  if (options.weightsInit !== undefined) {
    const w = options.weightsInit;
    if (!isNumbers(w) || w.length === 0) throw new ValueError(`${where}: weightsInit must be an array of numbers, got ${show(w)}.`);
    counted("weightsInit", w.length);
    if (w.some((v) => v < 0 || v > 1)) throw new ValueError(`${where}: weightsInit must lie in [0, 1], got ${show(w)}.`);
    const sum = w.reduce((s, v) => s + v, 0);
    if (Math.abs(1 - sum) > 1e-8)
      throw new ValueError(`${where}: weightsInit must sum to 1, got a sum of ${sum}; divide them by their sum.`);
    weightsInit = w.slice();
  }
  let width: number | undefined;
  let meansInit: number[][] | undefined;
  if (options.meansInit !== undefined) {
    meansInit = checkMatrix(where, "meansInit", options.meansInit, k);
    counted("meansInit", meansInit.length);
    width = meansInit[0].length;
  }
  let precisionsInit: CovarianceArray | undefined;
  if (options.precisionsInit !== undefined) {
    const checked = checkPrecisions(where, covarianceType, options.precisionsInit, k);
    if (checked.k !== undefined) counted("precisionsInit", checked.k);
    if (checked.width > 0) {
      if (width !== undefined && width !== checked.width) {
        throw new ValueError(
          `${where}: precisionsInit is for ${checked.width} features but meansInit has ${width}; give both for the features of X.`,
        );
      }
      width = checked.width;
    }
    precisionsInit = checked.precisions;
  }
  return {
    nComponents: k ?? 1,
    covarianceType,
    tol: checkNumberAbove(where, "tol", options.tol ?? 1e-3, 0, true),
    regCovar: checkNumberAbove(where, "regCovar", options.regCovar ?? 1e-6, 0, true),
    maxIter: checkPositiveInteger(where, "maxIter", options.maxIter ?? 100),
    nInit: checkPositiveInteger(where, "nInit", options.nInit ?? 1),
    initParams,
    weightsInit,
    meansInit,
    precisionsInit,
    width,
    seed: checkSeed(where, options.seed),
  };
}
