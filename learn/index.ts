/**
 * The evaluation library: datasets, splitters, metrics, preprocessing, pipelines,
 * cross-validation, feature analysis, the Estimator contract and the models.
 * `import { crossValidate } from "tunebook/learn"`.
 */
export { compareLabels, uniqueLabels, type Label } from "./labels.js";
export { parseCsv, readCsvTable, type CsvCell, type CsvTable, type ParseCsvOptions } from "./csv.js";
export {
  DATASETS,
  datasetFromCsv,
  findPackageRoot,
  loadArrays,
  loadDataset,
  readCsv,
  type ClassificationArrays,
  type ClassificationDatasetName,
  type Dataset,
  type DatasetArrays,
  type DatasetFromCsvOptions,
  type DatasetName,
  type RegressionArrays,
  type RegressionDatasetName,
  type Task,
} from "./datasets.js";
export { loadDanfo, type Danfo } from "./frame.js";
export * from "./splitters/index.js";
export {
  SCORER_NAMES,
  confusionMatrix,
  makeScorer,
  metrics,
  scorer,
  type Average,
  type BalancedAccuracyOptions,
  type CohenKappaOptions,
  type EstimatorOutput,
  type LogLossOptions,
  type MakeScorerOptions,
  type Metric,
  type PrecisionRecallOptions,
  type RocAucOptions,
  type Scorer,
  type ScorerInput,
  type ScorerName,
  type Scores,
} from "./metrics/index.js";
export {
  MinMaxScaler,
  OneHotEncoder,
  SimpleImputer,
  StandardScaler,
  type ImputeStrategy,
  type MaybeNumber,
  type MinMaxScalerOptions,
  type OneHotEncoderOptions,
  type RawFeatures,
  type SimpleImputerOptions,
  type StandardScalerOptions,
  type Transformer,
} from "./preprocessing.js";
export { Pipeline, makePipeline } from "./pipeline.js";
export {
  crossValidate,
  type CrossValidateOptions,
  type CrossValidateResult,
  type CrossValidationTrial,
} from "./cross-validate.js";
export * from "./analysis/index.js";
export { NotFittedError, type Estimator, type Features } from "./estimator.js";
export * from "./models/index.js";
