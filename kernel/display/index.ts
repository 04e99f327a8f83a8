/** Rich output for Jupyter: mime bundles, Vega-Lite charts, tables, live progress. */
export { canDisplayRich, display, newDisplay, setPublisher } from "./output.js";
export type { DisplayHandle, MimeBundle, Publisher } from "./output.js";
export { tableBundle } from "./table.js";
export type { TableOptions, TableValue } from "./table.js";
export { isVegaLiteSpec, vegaLiteBundle, VEGA_LITE_MIME } from "./vega.js";
export type { VegaLiteSpec } from "./vega.js";
export { bundlesFor, show } from "./show.js";
export type { ShowOptions } from "./show.js";
export { frameBundle } from "./frame.js";
export { trialsBundle } from "./trials.js";
export { bestTrialBundle } from "./study.js";
export { compareStudies, comparisonBundles, StudyComparison } from "./compare.js";
export type { CompareStudiesOptions, ComparedStudy } from "./compare.js";
export { historyBundle, importanceBundle } from "./study.js";
export { refinedSpaceBundle, studyListBundle } from "./summaries.js";
