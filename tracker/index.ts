/**
 * The tracker: where studies live (storages), what is computed from them
 * (analysis), how they are drawn (charts), and the UI that shows them.
 */
export * from "./storage/index.js";
export { TrialCache } from "../tune/trial-cache.js";
export { trialsTable, trialsToCsv, trialsToJson } from "./export.js";
export * from "./analysis/index.js";
export * from "./charts/index.js";
export { createApp, type AppOptions } from "./server/app.js";
export { startServer, type RunningServer, type StartServerOptions } from "./server/start.js";
export type {
  ApiError,
  ChartResponse,
  CompareResponse,
  CompareRow,
  ExperimentGroup,
  ParamInfo,
  RefineResponse,
  StudiesResponse,
  StudyChartKind,
  StudyJson,
  StudyResponse,
  TrialJson,
  TrialResponse,
  TrialRowJson,
  TrialsResponse,
} from "./server/types.js";
