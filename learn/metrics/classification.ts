/** Metrics on predicted class labels, with scikit-learn's definitions. */
import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { type Label, labelIndex, uniqueLabels } from "../labels.js";
import { checkPair, mean, sum } from "./checks.js";

/** The confusion matrix `C[i][j]`: rows with true class `labels[i]` predicted as `labels[j]`. */
export function confusionMatrix(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  labels?: readonly Label[],
): { labels: Label[]; matrix: number[][] } {
  checkPair("confusionMatrix", yTrue, yPred);
  const classes = labels ? [...labels] : uniqueLabels("confusionMatrix", yTrue, yPred);
  const index = labelIndex(classes);
  const matrix = classes.map(() => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined && p !== undefined) matrix[t][p]++;
  }
  return { labels: classes, matrix };
}

/** Share of rows whose predicted label equals the true one. */
export function accuracy(yTrue: readonly Label[], yPred: readonly Label[]): number {
  const n = checkPair("accuracy", yTrue, yPred);
  uniqueLabels("accuracy", yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / n;
}

export interface BalancedAccuracyOptions {
  /** Rescale so that chance level scores 0 and a perfect score 1. Default false. */
  adjusted?: boolean;
}

/**
 * Mean recall over the classes present in `yTrue` (classes only predicted are
 * ignored, as in scikit-learn).
 */
export function balancedAccuracy(yTrue: readonly Label[], yPred: readonly Label[], options: BalancedAccuracyOptions = {}): number {
  checkOptionKeys("balancedAccuracy", options, ["adjusted"]);
  checkPair("balancedAccuracy", yTrue, yPred);
  const { matrix } = confusionMatrix(yTrue, yPred);
  const recalls: number[] = [];
  matrix.forEach((row, i) => {
    const support = sum(row);
    if (support > 0) recalls.push(row[i] / support);
  });
  let score = mean(recalls);
  if (options.adjusted) {
    const chance = 1 / recalls.length;
    score = (score - chance) / (1 - chance);
  }
  return score;
}

export type Average = "binary" | "macro" | "micro" | "weighted";
const AVERAGES: readonly Average[] = ["binary", "macro", "micro", "weighted"];

export interface PrecisionRecallOptions {
  /**
   * How per-class scores combine: "binary" scores `posLabel` only; "macro" is
   * the plain mean over classes; "weighted" weights by each class's true count;
   * "micro" pools every row's decisions. Default "binary".
   */
  average?: Average;
  /** The positive class for `average: "binary"`. Default 1. */
  posLabel?: Label;
  /** Value of a ratio whose denominator is 0 (e.g. precision of a never-predicted class). Default 0. */
  zeroDivision?: number;
}

interface Counts {
  truePositives: number[];
  predicted: number[];
  actual: number[];
}

function perClassCounts(
  where: string,
  yTrue: readonly Label[],
  yPred: readonly Label[],
  options: PrecisionRecallOptions,
): { counts: Counts; average: Average } {
  checkOptionKeys(where, options, ["average", "posLabel", "zeroDivision"]);
  checkPair(where, yTrue, yPred);
  const average = options.average ?? "binary";
  if (!AVERAGES.includes(average)) {
    throw new ValueError(`${where}: average must be one of ${AVERAGES.map((a) => show(a)).join(", ")}, got ${show(average)}.`);
  }
  const present = uniqueLabels(where, yTrue, yPred);
  let labels = present;
  if (average === "binary") {
    if (present.length > 2) {
      throw new ValueError(
        `${where}: the target is multiclass (${present.length} classes) but average is "binary"; ` +
          `choose average: "macro", "micro" or "weighted".`,
      );
    }
    const posLabel = options.posLabel ?? 1;
    if (!present.includes(posLabel)) {
      if (present.length >= 2) {
        throw new ValueError(
          `${where}: posLabel=${show(posLabel)} is not a valid label. It should be one of ${show(present)}; pass posLabel.`,
        );
      }
    }
    labels = [posLabel];
  }
  const index = labelIndex(labels);
  const counts: Counts = {
    truePositives: new Array<number>(labels.length).fill(0),
    predicted: new Array<number>(labels.length).fill(0),
    actual: new Array<number>(labels.length).fill(0),
  };
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined) counts.actual[t]++;
    if (p !== undefined) counts.predicted[p]++;
    if (t !== undefined && t === p) counts.truePositives[t]++;
  }
  return { counts, average };
}

function ratio(numerator: number, denominator: number, zeroDivision: number): number {
  return denominator === 0 ? zeroDivision : numerator / denominator;
}

type Kind = "precision" | "recall" | "f1";

function fromCounts(kind: Kind, tp: number, predicted: number, actual: number, zeroDivision: number): number {
  const precision = ratio(tp, predicted, zeroDivision);
  const recall = ratio(tp, actual, zeroDivision);
  if (kind === "precision") return precision;
  if (kind === "recall") return recall;
  if (predicted + actual === 0) return zeroDivision;
  const denominator = precision + recall;
  return denominator === 0 ? 0 : (2 * precision * recall) / denominator;
}

function averaged(kind: Kind, where: string, yTrue: readonly Label[], yPred: readonly Label[], options: PrecisionRecallOptions): number {
  const { counts, average } = perClassCounts(where, yTrue, yPred, options);
  const zeroDivision = options.zeroDivision ?? 0;
  const { truePositives, predicted, actual } = counts;
  if (average === "micro") {
    return fromCounts(kind, sum(truePositives), sum(predicted), sum(actual), zeroDivision);
  }
  const scores = truePositives.map((tp, i) => fromCounts(kind, tp, predicted[i], actual[i], zeroDivision));
  if (average === "weighted") {
    const total = sum(actual);
    if (total === 0) return zeroDivision;
    return scores.reduce((acc, score, i) => acc + score * actual[i], 0) / total;
  }
  return mean(scores);
}

/** Share of predicted positives that are positive: tp / (tp + fp). */
export function precision(yTrue: readonly Label[], yPred: readonly Label[], options: PrecisionRecallOptions = {}): number {
  return averaged("precision", "precision", yTrue, yPred, options);
}

/** Share of positives found: tp / (tp + fn). */
export function recall(yTrue: readonly Label[], yPred: readonly Label[], options: PrecisionRecallOptions = {}): number {
  return averaged("recall", "recall", yTrue, yPred, options);
}

/** Harmonic mean of precision and recall. */
export function f1(yTrue: readonly Label[], yPred: readonly Label[], options: PrecisionRecallOptions = {}): number {
  return averaged("f1", "f1", yTrue, yPred, options);
}

/** Matthews correlation coefficient (multiclass form); 0 when either side is constant. */
export function matthewsCorrcoef(yTrue: readonly Label[], yPred: readonly Label[]): number {
  const { matrix } = confusionMatrix(yTrue, yPred);
  const k = matrix.length;
  const trueSums = matrix.map((row) => sum(row));
  const predSums = matrix[0].map((_, j) => sum(matrix.map((row) => row[j])));
  const n = sum(trueSums);
  let correct = 0;
  for (let i = 0; i < k; i++) correct += matrix[i][i];
  let dotTP = 0;
  let dotPP = 0;
  let dotTT = 0;
  for (let i = 0; i < k; i++) {
    dotTP += trueSums[i] * predSums[i];
    dotPP += predSums[i] * predSums[i];
    dotTT += trueSums[i] * trueSums[i];
  }
  const covTP = correct * n - dotTP;
  const covPP = n * n - dotPP;
  const covTT = n * n - dotTT;
  return covPP * covTT === 0 ? 0 : covTP / Math.sqrt(covTT * covPP);
}

export interface CohenKappaOptions {
  /** Disagreement weights for ordered classes: none, |i - j|, or (i - j)². Default none. */
  weights?: "linear" | "quadratic";
}

/** Agreement between two labelings beyond chance (Cohen's kappa). */
export function cohenKappa(yTrue: readonly Label[], yPred: readonly Label[], options: CohenKappaOptions = {}): number {
  checkOptionKeys("cohenKappa", options, ["weights"]);
  const weights = options.weights;
  if (weights !== undefined && weights !== "linear" && weights !== "quadratic") {
    throw new ValueError(`cohenKappa: weights must be "linear" or "quadratic" (or left out), got ${show(weights)}.`);
  }
  const { matrix } = confusionMatrix(yTrue, yPred);
  const k = matrix.length;
  const rowSums = matrix.map((row) => sum(row));
  const colSums = matrix[0].map((_, j) => sum(matrix.map((row) => row[j])));
  const n = sum(rowSums);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weights === "linear" ? Math.abs(i - j) : weights === "quadratic" ? (i - j) ** 2 : i === j ? 0 : 1;
      observed += w * matrix[i][j];
      expected += (w * colSums[i] * rowSums[j]) / n;
    }
  }
  return 1 - observed / expected;
}
