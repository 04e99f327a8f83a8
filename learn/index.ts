/**
 * The evaluation library: datasets, splitters, metrics, preprocessing, pipelines,
 * cross-validation, feature analysis, the Estimator contract and the models.
 * `import { crossValidate } from "tunebook/learn"`.
 */

export * from "./analysis/index.js";
export {
  type CrossValidateOptions,
  type CrossValidateResult,
  type CrossValidationTrial,
  crossValidate,
} from "./cross-validate.js";
export { type CsvCell, type CsvTable, type ParseCsvOptions, parseCsv, type ReadCsvOptions, readCsvTable } from "./csv.js";
export { DELIMITERS, detectDelimiter } from "./csv-delimiter.js";
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
export { type Estimator, type Features, NotFittedError } from "./estimator.js";
export { type Danfo, loadDanfo } from "./frame.js";
export { compareLabels, type Label, uniqueLabels } from "./labels.js";
export {
  type Average,
  type BalancedAccuracyOptions,
  type CohenKappaOptions,
  confusionMatrix,
  type EstimatorOutput,
  type LogLossOptions,
  type MakeScorerOptions,
  type Metric,
  makeScorer,
  metrics,
  type PrecisionRecallOptions,
  type RocAucOptions,
  SCORER_NAMES,
  type Scorer,
  type ScorerInput,
  type ScorerName,
  type Scores,
  scorer,
} from "./metrics/index.js";
export * from "./models/index.js";
export { makePipeline, Pipeline } from "./pipeline.js";
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
