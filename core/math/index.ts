/**
 * Shared numerics: special functions, distributions and the statistics built on them
 * (each names the scipy function it matches; test/core/math checks every one against
 * scipy's values), and the multi-objective geometry: Pareto fronts and hypervolumes
 * (checked against brute force).
 */

export { incompleteBeta, logBeta } from "./beta.js";
export { LOG_SQRT_2PI } from "./constants.js";
export { type CorrectedTTestOptions, correctedTTest, type TTestResult } from "./corrected-t-test.js";
export { pearson, spearman } from "./correlation.js";
export { fDistributionSf, studentTCdf, studentTSf } from "./distributions.js";
export { erf, erfc, erfcx } from "./erf.js";
export { digammaInteger, logGamma, lowerIncompleteGamma, upperIncompleteGamma } from "./gamma.js";
export { defaultReferencePoint, hypervolume, hypervolumeContributions } from "./hypervolume.js";
export { logGaussMass, logNormalCdf, normalCdf, normalPdf, normalQuantile, normalSf } from "./normal.js";
export { crowdingDistance, dominates, nonDominatedSort, paretoFrontIndices } from "./pareto.js";
export { quantileSorted } from "./quantile.js";
export { rankData } from "./ranks.js";
export {
  type Alternative,
  pairedDifferences,
  type WilcoxonOptions,
  type WilcoxonResult,
  wilcoxonSignedRank,
} from "./wilcoxon.js";
