/** Rich output for Jupyter: mime bundles, Vega-Lite charts, tables, live progress. */

export type { ComparedStudy, CompareStudiesOptions } from "./compare.js";
export { compareStudies, comparisonBundles, StudyComparison } from "./compare.js";
export { frameBundle } from "./frame.js";
export type { DisplayHandle, MimeBundle, Publisher } from "./output.js";
export { canDisplayRich, display, newDisplay, setPublisher } from "./output.js";
export type { ShowOptions } from "./show.js";
export { bundlesFor, show } from "./show.js";
export { bestTrialBundle, historyBundle, importanceBundle } from "./study.js";
export { refinedSpaceBundle, studyListBundle } from "./summaries.js";
export type { TableOptions, TableValue } from "./table.js";
export { tableBundle } from "./table.js";
export { trialsBundle } from "./trials.js";
export type { VegaLiteSpec } from "./vega.js";
export { isVegaLiteSpec, VEGA_LITE_MIME, vegaLiteBundle } from "./vega.js";
