/**
 * The tracker: where studies live (storages), what is computed from them
 * (analysis), how they are drawn (charts), and the UI that shows them.
 */

export { TrialCache } from "../tune/trial-cache.js";
export * from "./analysis/index.js";
export * from "./charts/index.js";
export { trialsTable, trialsToCsv, trialsToJson } from "./export.js";
export { type AppOptions, createApp } from "./server/app.js";
export { type RunningServer, type StartServerOptions, startServer } from "./server/start.js";
export type {
  ApiError,
  ChartResponse,
  CompareResponse,
  CompareRow,
  ExperimentGroup,
  ParamInfo,
  RefineResponse,
  StudiesResponse,
  StudyJson,
  StudyResponse,
  TrialJson,
  TrialResponse,
  TrialRowJson,
  TrialsResponse,
} from "./server/types.js";
export * from "./storage/index.js";
