/** Metrics on scores and class probabilities: ROC AUC and log loss. */
import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { type Label, labelIndex, uniqueLabels } from "../labels.js";
import { checkFinite, checkPair, mean } from "./checks.js";

/** Class scores: one number per row (binary), or one row of class probabilities per row. */
export type Scores = readonly number[] | readonly (readonly number[])[];

export interface RocAucOptions {
  /**
   * Multiclass strategy, needed for more than 2 classes: "ovr" scores each class against
   * the rest; "ovo" scores each pair of classes on the rows of those two (Hand & Till
   * 2001), which class imbalance does not sway.
   */
  multiClass?: "ovr" | "ovo";
  /**
   * Combining the per-class ("ovr") or per-pair ("ovo") scores: plain mean, or weighted
   * by prevalence (of the class, or of the pair's rows). Default "macro".
   */
  average?: "macro" | "weighted";
  /** The classes in the order of the probability columns. Default: the sorted classes of `yTrue`. */
  labels?: readonly Label[];
}

function isMatrix(scores: Scores): scores is readonly (readonly number[])[] {
  return scores.length > 0 && Array.isArray(scores[0]);
}

function checkMatrix(where: string, scores: readonly (readonly number[])[], columns?: number): number {
  const width = columns ?? scores[0].length;
  scores.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new ValueError(
        `${where}: row ${i} of the scores has ${Array.isArray(row) ? row.length : show(row)} columns, expected ${width}.`,
      );
    }
    checkFinite(where, `scores[${i}]`, row);
  });
  return width;
}

/**
 * Area under the ROC curve of `scores` for the binary target `positive`
 * (trapezoids between distinct thresholds, so tied scores count half).
 */
function binaryAuc(positive: readonly boolean[], scores: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let fp = 0;
  let area = 0;
  let lastTp = 0;
  let lastFp = 0;
  for (let k = 0; k < order.length; k++) {
    if (positive[order[k]]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[order[k]]) {
      area += ((fp - lastFp) * (tp + lastTp)) / 2;
      lastTp = tp;
      lastFp = fp;
    }
  }
  return area / (tp * fp);
}

/**
 * Area under the ROC curve. Binary: `scores` are the positive class's scores,
 * the positive class being the larger of the two labels (a two-column
 * probability matrix is also accepted). Multiclass: probabilities (rows summing
 * to 1) with `{ multiClass: "ovr" }`.
 */
export function rocAuc(yTrue: readonly Label[], scores: Scores, options: RocAucOptions = {}): number {
  const where = "rocAuc";
  checkOptionKeys(where, options, ["multiClass", "average", "labels"]);
  checkPair(where, yTrue, scores, "scores");
  const average = options.average ?? "macro";
  if (average !== "macro" && average !== "weighted") {
    throw new ValueError(`${where}: average must be "macro" or "weighted", got ${show(average)}.`);
  }
  if (options.multiClass !== undefined && options.multiClass !== "ovr" && options.multiClass !== "ovo") {
    throw new ValueError(`${where}: multiClass must be "ovr" or "ovo", got ${show(options.multiClass)}.`);
  }
  const classes = options.labels ? [...options.labels] : uniqueLabels(where, yTrue);
  const onlyOne = () =>
    new ValueError(
      `${where}: only one class (${show(yTrue[0])}) is present in yTrue; ROC AUC is not defined in that case. ` +
        `Use a stratified split so every fold holds both classes.`,
    );
  if (!options.labels && classes.length === 1) throw onlyOne();
  const known = labelIndex(classes);
  const stray = yTrue.find((label) => !known.has(label));
  if (stray !== undefined) throw new ValueError(`${where}: yTrue contains ${show(stray)}, which is not in labels ${show(classes)}.`);
  if (!isMatrix(scores)) {
    checkFinite(where, "scores", scores);
    if (classes.length > 2) {
      throw new ValueError(
        `${where}: yTrue has ${classes.length} classes; pass a probability matrix (one column per class) ` +
          `with { multiClass: "ovr" } or { multiClass: "ovo" }.`,
      );
    }
    if (new Set(yTrue).size < 2) throw onlyOne();
    return binaryAuc(
      yTrue.map((label) => label === classes[1]),
      scores,
    );
  }
  const width = checkMatrix(where, scores);
  if (width !== classes.length) {
    throw new ValueError(
      `${where}: the number of classes in yTrue (${classes.length}: ${show(classes)}) is not equal to the number of ` +
        `columns in scores (${width}); pass labels in column order.`,
    );
  }
  if (classes.length === 2) {
    if (new Set(yTrue).size < 2) throw onlyOne();
    return binaryAuc(
      yTrue.map((label) => label === classes[1]),
      scores.map((row) => row[1]),
    );
  }
  if (options.multiClass === undefined) {
    throw new ValueError(
      `${where}: yTrue has ${classes.length} classes; pass { multiClass: "ovr" } to score each class against the rest, ` +
        `or { multiClass: "ovo" } to score each pair of classes.`,
    );
  }
  scores.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-8 + 1e-5) {
      throw new ValueError(
        `${where}: scores need to be probabilities for multiclass ROC AUC, i.e. sum to 1 over classes; row ${i} sums to ${total}.`,
      );
    }
  });
  if (options.multiClass === "ovo") return pairwiseAuc(yTrue, scores, classes, average);
  const aucs: number[] = [];
  const prevalence: number[] = [];
  classes.forEach((label, c) => {
    const positive = yTrue.map((value) => value === label);
    const count = positive.filter(Boolean).length;
    if (count === 0 || count === yTrue.length) {
      throw new ValueError(
        `${where}: class ${show(label)} is ${count === 0 ? "absent from" : "the only class in"} yTrue, so its ` +
          `one-vs-rest ROC AUC is not defined.`,
      );
    }
    aucs.push(
      binaryAuc(
        positive,
        scores.map((row) => row[c]),
      ),
    );
    prevalence.push(count);
  });
  if (average === "macro") return mean(aucs);
  const total = prevalence.reduce((a, b) => a + b, 0);
  return aucs.reduce((acc, auc, c) => acc + (auc * prevalence[c]) / total, 0);
}

/**
 * One-vs-one ROC AUC: for each pair of classes present in `yTrue`, on the rows of those
 * two classes, the mean of the AUC of a's column for "is a" and of b's column for "is b";
 * pairs combined by plain mean or weighted by their share of the rows (scikit-learn's rule).
 */
function pairwiseAuc(
  yTrue: readonly Label[],
  scores: readonly (readonly number[])[],
  classes: readonly Label[],
  average: "macro" | "weighted",
): number {
  const present = classes.map((label, c) => ({ label, c })).filter(({ label }) => yTrue.includes(label));
  let total = 0;
  let weights = 0;
  for (let i = 0; i < present.length; i++) {
    for (let j = i + 1; j < present.length; j++) {
      const a = present[i];
      const b = present[j];
      const rows = yTrue.flatMap((label, r) => (label === a.label || label === b.label ? [r] : []));
      const isA = rows.map((r) => yTrue[r] === a.label);
      const aucA = binaryAuc(
        isA,
        rows.map((r) => scores[r][a.c]),
      );
      const aucB = binaryAuc(
        isA.map((x) => !x),
        rows.map((r) => scores[r][b.c]),
      );
      const weight = average === "weighted" ? rows.length / yTrue.length : 1;
      total += (weight * (aucA + aucB)) / 2;
      weights += weight;
    }
  }
  if (weights === 0) throw new ValueError(`rocAuc: one-vs-one ROC AUC needs at least two classes present in yTrue.`);
  return total / weights;
}

export interface LogLossOptions {
  /** The classes in the order of the probability columns. Default: the sorted classes of `yTrue`. */
  labels?: readonly Label[];
}

const EPSILON = 2 ** -52;

/**
 * Mean negative log-likelihood of the true classes. `probabilities` holds one
 * row per sample, one column per class (sorted), or for two classes just the
 * larger class's probability. Probabilities are clipped to [ε, 1 - ε] and rows
 * renormalised, as scikit-learn does.
 */
export function logLoss(yTrue: readonly Label[], probabilities: Scores, options: LogLossOptions = {}): number {
  const where = "logLoss";
  checkOptionKeys(where, options, ["labels"]);
  checkPair(where, yTrue, probabilities, "probabilities");
  const classes = options.labels ? [...options.labels] : uniqueLabels(where, yTrue);
  if (classes.length === 1) {
    throw new ValueError(`${where}: yTrue contains only one label (${show(classes[0])}); pass every class explicitly with { labels }.`);
  }
  const index = labelIndex(classes);
  let rows: number[][];
  if (isMatrix(probabilities)) {
    checkMatrix(where, probabilities);
    rows = probabilities.map((row) => [...row]);
  } else {
    checkFinite(where, "probabilities", probabilities);
    rows = probabilities.map((p) => [1 - p, p]);
  }
  const width = rows[0].length;
  if (width !== classes.length) {
    throw new ValueError(
      `${where}: yTrue and probabilities contain different numbers of classes, ${classes.length} and ${width}. ` +
        `Pass the true classes explicitly with { labels }. Classes found in yTrue: ${show(classes)}.`,
    );
  }
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const c = index.get(yTrue[i]);
    if (c === undefined) throw new ValueError(`${where}: yTrue contains ${show(yTrue[i])}, which is not in labels ${show(classes)}.`);
    const clipped = rows[i].map((p) => Math.min(Math.max(p, EPSILON), 1 - EPSILON));
    const rowSum = clipped.reduce((a, b) => a + b, 0);
    total -= Math.log(clipped[c] / rowSum);
  }
  return total / rows.length;
}
