/** Decomposition: principal component analysis with scikit-learn's semantics. */

export { PCA, type PCAOptions } from "./pca.js";
export type { ComponentChoice } from "./pca-components.js";
