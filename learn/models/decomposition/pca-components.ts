/**
 * PCA's `nComponents` option: checked when the model is built, and resolved against the
 * fitted spectrum as scikit-learn's full-SVD solver resolves it.
 */
import { show, ValueError } from "../../../core/errors.js";
import { inferDimension } from "./minka-mle.js";
import { cumulativeSum } from "./sums.js";

/** A count of components, a fraction of the variance in (0, 1), or "mle". */
export type ComponentChoice = number | "mle";

/** The option as given, or a ValueError naming the value and the three accepted forms. */
export function checkComponentChoice(where: string, value: unknown): ComponentChoice | undefined {
  if (value === undefined || value === "mle") return value;
  const forms =
    "give a whole number of components (1 to min(nSamples, nFeatures)), a fraction of the variance to explain " +
    'strictly between 0 and 1 (e.g. 0.95), or "mle" for Minka\'s estimate';
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || (value > 1 && !Number.isInteger(value))) {
    throw new ValueError(`${where}: nComponents = ${show(value)} is not a number of components; ${forms}.`);
  }
  return value;
}

/**
 * The number of components to keep, given the explained variances of all min(nSamples,
 * nFeatures) axes and their ratios: the count itself; for a fraction, one more than the
 * number of cumulative ratios at or below it (so the kept ratio strictly exceeds it, as
 * numpy's `searchsorted(side="right")` decides, ties included), at most every axis; for
 * "mle", Minka's estimate; by default every axis.
 */
export function resolveComponents(
  where: string,
  choice: ComponentChoice | undefined,
  variances: readonly number[],
  ratios: readonly number[],
  nSamples: number,
  nFeatures: number,
): number {
  const most = Math.min(nSamples, nFeatures);
  if (choice === undefined) return most;
  if (choice === "mle") return inferDimension(variances, nSamples);
  if (choice < 1) {
    const reached = cumulativeSum(ratios).filter((sum) => sum <= choice).length;
    return Math.min(reached + 1, most);
  }
  if (choice > most) {
    throw new ValueError(
      `${where}: nComponents = ${choice} is more than min(nSamples, nFeatures) = min(${nSamples}, ${nFeatures}) = ${most}; ` +
        `use nComponents <= ${most}, or a fraction of the variance such as 0.95.`,
    );
  }
  return choice;
}

/** "mle" needs at least as many rows as columns, and two columns to choose among (scikit-learn's rule). */
export function checkMleShape(where: string, nSamples: number, nFeatures: number): void {
  if (nSamples < nFeatures) {
    throw new ValueError(
      `${where}: nComponents = "mle" needs nSamples >= nFeatures, but X has ${nSamples} rows and ${nFeatures} columns; ` +
        `give a count or a fraction of the variance instead.`,
    );
  }
  if (nFeatures < 2) {
    throw new ValueError(`${where}: nComponents = "mle" chooses among 1 … nFeatures − 1 components, but X has ${nFeatures} column.`);
  }
}
