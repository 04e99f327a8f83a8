/**
 * The evaluation library: datasets, splitters, metrics, preprocessing, pipelines,
 * cross-validation, feature analysis, the Estimator contract and the models.
 * `import { crossValidate } from "tunebook/learn"`.
 */

export * from "./analysis/index.js";
export type { Stability, StabilityOptions } from "./cluster-stability.js";
export type { ClusteringScoring } from "./clustering-scoring.js";
export {
  type CrossValidateOptions,
  type CrossValidateResult,
  type CrossValidationTrial,
  crossValidate,
} from "./cross-validate.js";
export { type CsvCell, type CsvTable, type ParseCsvOptions, parseCsv, type ReadCsvOptions, readCsvTable } from "./csv.js";
export { DELIMITERS, detectDelimiter } from "./csv-delimiter.js";
export {
  absoluteTrainSizes,
  CURVE_ATTR_PREFIX,
  type CurveScores,
  type CurveSink,
  type LearningCurveOptions,
  type LearningCurveResult,
  learningCurve,
  type ValidationCurveOptions,
  type ValidationCurveResult,
  validationCurve,
} from "./curves.js";
export {
  type ClassificationArrays,
  type ClassificationDatasetName,
  DATASETS,
  type Dataset,
  type DatasetArrays,
  type DatasetFromCsvOptions,
  type DatasetName,
  datasetFromCsv,
  findPackageRoot,
  loadArrays,
  loadDataset,
  type RegressionArrays,
  type RegressionDatasetName,
  readCsv,
  type Task,
} from "./datasets.js";
export { type Estimator, type EstimatorKind, type Features, isClusterer, NotFittedError } from "./estimator.js";
export {
  type ClusteringEvaluation,
  type ClusteringModel,
  type ClusteringSpace,
  type EvaluateClusteringOptions,
  evaluateClustering,
} from "./evaluate-clustering.js";
export { type Danfo, loadDanfo } from "./frame.js";
export { compareLabels, type Label, uniqueLabels } from "./labels.js";
export {
  type Average,
  type AverageMethod,
  adjustedMutualInfo,
  adjustedRand,
  type BalancedAccuracyOptions,
  CLUSTERING_SCORER_NAMES,
  type ClusteringData,
  type ClusteringScorer,
  type ClusteringScorerName,
  type ClusteringScorerOptions,
  type ClusterScoreOptions,
  type CohenKappaOptions,
  calinskiHarabasz,
  clusteringScorer,
  completeness,
  confusionMatrix,
  daviesBouldin,
  type EstimatorOutput,
  fowlkesMallows,
  homogeneity,
  type LogLossOptions,
  type MakeScorerOptions,
  type Metric,
  type MutualInfoOptions,
  makeScorer,
  metrics,
  mutualInfo,
  type NoiseHandling,
  normalizedMutualInfo,
  type PrecisionRecallOptions,
  type RocAucOptions,
  rand,
  SCORER_NAMES,
  type Scorer,
  type ScorerInput,
  type ScorerName,
  type Scores,
  type SilhouetteMetric,
  type SilhouetteOptions,
  scorer,
  silhouette,
  silhouetteSamples,
  type VMeasureOptions,
  vMeasure,
} from "./metrics/index.js";
export * from "./models/index.js";
export { type ClusteringPipeline, makePipeline, Pipeline } from "./pipeline.js";
export {
  type ImputeStrategy,
  type MaybeNumber,
  MinMaxScaler,
  type MinMaxScalerOptions,
  OneHotEncoder,
  type OneHotEncoderOptions,
  type RawFeatures,
  SimpleImputer,
  type SimpleImputerOptions,
  StandardScaler,
  type StandardScalerOptions,
  type Transformer,
} from "./preprocessing.js";
export * from "./splitters/index.js";
