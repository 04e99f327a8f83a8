import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { pearson, spearman } from "../../core/math/correlation.js";
import { fDistributionSf } from "../../core/math/distributions.js";
import { digammaInteger } from "../../core/math/gamma.js";
import { checkSeed, Rng } from "../../core/rng.js";
import { classCounts, type Label, labelIndex, uniqueLabels } from "../labels.js";
import { isMissing, type RawFeatures } from "../preprocessing.js";
import { columnNames, completePairs } from "./columns.js";

export type RegressionAssociation = { feature: string; pearson: number; spearman: number };
export type ClassificationAssociation = {
  feature: string;
  /** One-way ANOVA F statistic across the classes (scikit-learn's `f_classif`). */
  fStatistic: number;
  pValue: number;
  /** Mutual information with the class, in nats (kNN estimate, as `mutual_info_classif`). */
  mutualInformation: number;
};

export type Association =
  | { task: "classification"; features: ClassificationAssociation[] }
  | { task: "regression"; features: RegressionAssociation[] };

export interface AssociationOptions {
  /** Default: "classification" for text labels, "regression" for numbers. */
  task?: "classification" | "regression";
  featureNames?: readonly string[];
  /** Neighbours of the mutual-information estimate. Default 3. */
  nNeighbors?: number;
  /** Seed of the tiny noise that breaks ties before the mutual-information estimate. Default 0. */
  seed?: number;
}

/**
 * How strongly each feature relates to the target: Pearson and Spearman
 * correlation for a regression target; ANOVA F (with p-value) and mutual
 * information for class labels. Rows with a missing feature value are skipped
 * for that feature.
 */
export function featureTargetAssociation(X: RawFeatures, y: readonly Label[], options: AssociationOptions = {}): Association {
  const where = "featureTargetAssociation";
  checkOptionKeys(where, options, ["task", "featureNames", "nNeighbors", "seed"]);
  checkSeed(where, options.seed);
  const names = columnNames(where, X, options.featureNames);
  checkTarget(where, X, y);
  const task = options.task ?? (y.some((v) => typeof v === "string") ? "classification" : "regression");
  if (task === "regression") {
    const target = y.map((v) => {
      if (typeof v !== "number") throw new ValueError(`${where}: a regression target must be numeric, found ${show(v)}.`);
      return v;
    });
    return {
      task,
      features: names.map((feature, j) => {
        const [a, b] = completePairs(X, j, target);
        return { feature, pearson: pearson(a, b), spearman: spearman(a, b) };
      }),
    };
  }
  if (task !== "classification") throw new ValueError(`${where}: task must be "classification" or "regression", got ${show(task)}.`);
  const f = anovaF(X, y);
  const mi = mutualInfoClassif(X, y, { nNeighbors: options.nNeighbors, seed: options.seed });
  return {
    task,
    features: names.map((feature, j) => ({ feature, fStatistic: f[j].fStatistic, pValue: f[j].pValue, mutualInformation: mi[j] })),
  };
}

function checkTarget(where: string, X: RawFeatures, y: readonly Label[]): void {
  if (!Array.isArray(y) || y.length !== X.length) {
    throw new ValueError(`${where}: X has ${X.length} rows but y has ${Array.isArray(y) ? y.length : show(y)} values.`);
  }
  uniqueLabels(where, y);
}

/** One-way ANOVA F statistic and p-value of each feature across the classes of y. */
export function anovaF(X: RawFeatures, y: readonly Label[]): { fStatistic: number; pValue: number }[] {
  const where = "anovaF";
  const width = columnNames(where, X).length;
  checkTarget(where, X, y);
  const result: { fStatistic: number; pValue: number }[] = [];
  for (let j = 0; j < width; j++) {
    const rows = X.map((_row, i) => i).filter((i) => !isMissing(X[i][j]));
    const labels = rows.map((i) => y[i]);
    const classes = uniqueLabels(where, labels);
    const index = labelIndex(classes);
    const k = classes.length;
    const n = rows.length;
    const sums = new Array<number>(k).fill(0);
    const counts = classCounts(labels, classes);
    let total = 0;
    let totalSquares = 0;
    rows.forEach((i) => {
      const v = X[i][j] as number;
      sums[index.get(y[i])!] += v;
      total += v;
      totalSquares += v * v;
    });
    const correction = (total * total) / n;
    const ssTotal = totalSquares - correction;
    let ssBetween = -correction;
    for (let c = 0; c < k; c++) ssBetween += (sums[c] * sums[c]) / counts[c];
    const ssWithin = ssTotal - ssBetween;
    const dfBetween = k - 1;
    const dfWithin = n - k;
    if (dfBetween < 1 || dfWithin < 1) {
      result.push({ fStatistic: Number.NaN, pValue: Number.NaN });
      continue;
    }
    const fStatistic = ssBetween / dfBetween / (ssWithin / dfWithin);
    result.push({ fStatistic, pValue: fDistributionSf(fStatistic, dfBetween, dfWithin) });
  }
  return result;
}

/**
 * Mutual information between each (continuous) feature and the class, by the
 * nearest-neighbour estimator of Ross (2014) that scikit-learn's
 * `mutual_info_classif` uses: columns scaled to unit variance, ties broken by
 * noise of relative size 1e-10 (from `seed`), then
 * ψ(n) + ⟨ψ(k)⟩ − ⟨ψ(n_class)⟩ − ⟨ψ(m)⟩, clipped at 0.
 */
export function mutualInfoClassif(X: RawFeatures, y: readonly Label[], options: { nNeighbors?: number; seed?: number } = {}): number[] {
  const where = "mutualInfoClassif";
  const width = columnNames(where, X).length;
  checkTarget(where, X, y);
  const nNeighbors = options.nNeighbors ?? 3;
  if (!Number.isInteger(nNeighbors) || nNeighbors < 1) {
    throw new ValueError(`${where}: nNeighbors must be an integer >= 1, got ${show(options.nNeighbors)}.`);
  }
  const rng = new Rng(checkSeed(where, options.seed) ?? 0);
  const result: number[] = [];
  for (let j = 0; j < width; j++) {
    const rows = X.map((_, i) => i).filter((i) => !isMissing(X[i][j]));
    let values = rows.map((i) => X[i][j] as number);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / values.length);
    if (std > 0) values = values.map((v) => v / std);
    const noise = 1e-10 * Math.max(1, values.reduce((acc, v) => acc + Math.abs(v), 0) / values.length);
    values = values.map((v) => v + noise * rng.normal());
    result.push(
      miContinuousDiscrete(
        values,
        rows.map((i) => y[i]),
        nNeighbors,
      ),
    );
  }
  return result;
}

/** The kNN estimate for one continuous variable c and a discrete one d. */
function miContinuousDiscrete(c: readonly number[], d: readonly Label[], nNeighbors: number): number {
  const byLabel = new Map<Label, number[]>();
  d.forEach((label, i) => {
    const rows = byLabel.get(label);
    if (rows) rows.push(i);
    else byLabel.set(label, [i]);
  });
  const radius = new Array<number>(c.length).fill(0);
  const kAll = new Array<number>(c.length).fill(0);
  const labelCount = new Array<number>(c.length).fill(0);
  for (const rows of byLabel.values()) {
    const count = rows.length;
    for (const i of rows) labelCount[i] = count;
    if (count < 2) continue;
    const k = Math.min(nNeighbors, count - 1);
    const sorted = rows.map((i) => c[i]).sort((a, b) => a - b);
    const order = [...rows].sort((a, b) => c[a] - c[b]);
    order.forEach((i, position) => {
      radius[i] = nextDown(kthNeighbourDistance(sorted, position, k));
      kAll[i] = k;
    });
  }
  // Points alone in their class carry no information and are left out.
  const kept = c.map((_, i) => i).filter((i) => labelCount[i] > 1);
  const n = kept.length;
  if (n === 0) return 0;
  const all = kept.map((i) => c[i]).sort((a, b) => a - b);
  let sumK = 0;
  let sumLabel = 0;
  let sumM = 0;
  for (const i of kept) {
    sumK += digammaInteger(kAll[i]);
    sumLabel += digammaInteger(labelCount[i]);
    sumM += digammaInteger(countWithin(all, c[i], radius[i]));
  }
  return Math.max(0, digammaInteger(n) + (sumK - sumLabel - sumM) / n);
}

/** Distance from sorted[position] to its k-th nearest other value. */
function kthNeighbourDistance(sorted: readonly number[], position: number, k: number): number {
  let left = position - 1;
  let right = position + 1;
  let distance = 0;
  for (let step = 0; step < k; step++) {
    const dl = left >= 0 ? sorted[position] - sorted[left] : Infinity;
    const dr = right < sorted.length ? sorted[right] - sorted[position] : Infinity;
    if (dl <= dr) {
      distance = dl;
      left--;
    } else {
      distance = dr;
      right++;
    }
  }
  return distance;
}

/** How many sorted values lie within `radius` of x (x itself included). */
function countWithin(sorted: readonly number[], x: number, radius: number): number {
  const first = lowerBound(sorted, (v) => x - v <= radius);
  const end = lowerBound(sorted, (v) => v > x && v - x > radius);
  return end - first;
}

/** First index where `predicate` (false then true along sorted) holds. */
function lowerBound(sorted: readonly number[], predicate: (v: number) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (predicate(sorted[mid])) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** The largest double below x (numpy's nextafter(x, 0) for x > 0); 0 stays 0. */
function nextDown(x: number): number {
  if (x <= 0) return 0;
  const buffer = new DataView(new ArrayBuffer(8));
  buffer.setFloat64(0, x);
  buffer.setBigUint64(0, buffer.getBigUint64(0) - 1n);
  return buffer.getFloat64(0);
}

export type ClassShare = { label: Label; count: number; share: number };

/** Rows per class, sorted by label, with each class's share. */
export function classBalance(y: readonly Label[]): ClassShare[] {
  if (!Array.isArray(y) || y.length === 0) throw new ValueError(`classBalance: y must be a non-empty array of labels, got ${show(y)}.`);
  const classes = uniqueLabels("classBalance", y);
  const counts = classCounts(y, classes);
  return classes.map((label, c) => ({ label, count: counts[c], share: counts[c] / y.length }));
}
