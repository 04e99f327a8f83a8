/** Regression metrics, with scikit-learn's definitions (including its finite fallbacks). */
import { ValueError } from "../../core/errors.js";
import { checkFinite, checkPair, mean } from "./checks.js";

function residuals(where: string, yTrue: readonly number[], yPred: readonly number[]): number[] {
  checkPair(where, yTrue, yPred);
  checkFinite(where, "yTrue", yTrue);
  checkFinite(where, "yPred", yPred);
  return yTrue.map((y, i) => y - yPred[i]);
}

/** Mean squared error. */
export function mse(yTrue: readonly number[], yPred: readonly number[]): number {
  return mean(residuals("mse", yTrue, yPred).map((r) => r * r));
}

/** Root mean squared error. */
export function rmse(yTrue: readonly number[], yPred: readonly number[]): number {
  return Math.sqrt(mean(residuals("rmse", yTrue, yPred).map((r) => r * r)));
}

/** Mean absolute error. */
export function mae(yTrue: readonly number[], yPred: readonly number[]): number {
  return mean(residuals("mae", yTrue, yPred).map(Math.abs));
}

function checkTwoRows(where: string, n: number): void {
  if (n < 2) {
    throw new ValueError(`${where}: the score is not defined with fewer than two rows (got ${n}); use larger test folds.`);
  }
}

/** 1 - rows' own variance share: a constant target scores 1 if predicted exactly, else 0. */
function finiteRatio(numerator: number, denominator: number): number {
  if (denominator !== 0) return 1 - numerator / denominator;
  return numerator === 0 ? 1 : 0;
}

/** Coefficient of determination R². */
export function r2(yTrue: readonly number[], yPred: readonly number[]): number {
  const res = residuals("r2", yTrue, yPred);
  checkTwoRows("r2", res.length);
  const average = mean(yTrue);
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < res.length; i++) {
    numerator += res[i] * res[i];
    denominator += (yTrue[i] - average) ** 2;
  }
  return finiteRatio(numerator, denominator);
}

/** 1 - Var(yTrue - yPred) / Var(yTrue): R² without penalising a constant bias. */
export function explainedVariance(yTrue: readonly number[], yPred: readonly number[]): number {
  const res = residuals("explainedVariance", yTrue, yPred);
  checkTwoRows("explainedVariance", res.length);
  const residualMean = mean(res);
  const average = mean(yTrue);
  const numerator = mean(res.map((r) => (r - residualMean) ** 2));
  const denominator = mean(yTrue.map((y) => (y - average) ** 2));
  return finiteRatio(numerator, denominator);
}

/** Mean absolute percentage error, as a fraction (0.1 = 10%); |yTrue| below machine epsilon counts as epsilon. */
export function mape(yTrue: readonly number[], yPred: readonly number[]): number {
  const res = residuals("mape", yTrue, yPred);
  return mean(res.map((r, i) => Math.abs(r) / Math.max(Math.abs(yTrue[i]), 2 ** -52)));
}
