/** Clustering models: k-means (batch and mini-batch), agglomerative clustering, DBSCAN and Gaussian mixtures, behind one `Clusterer` contract. */

export { AgglomerativeClustering, type AgglomerativeClusteringOptions } from "./agglomerative.js";
export type { CentroidOptions, KMeansInit } from "./centroid-clusterer.js";
export type { Clusterer } from "./clusterer.js";
export { DBSCAN, type DBSCANOptions } from "./dbscan.js";
export type { DistanceMetric } from "./distances.js";
export {
  type CovarianceShapes,
  type CovarianceType,
  GaussianMixture,
  type GaussianMixtureOptions,
  type MixtureInit,
} from "./gaussian-mixture.js";
export { KMeans, type KMeansOptions } from "./kmeans.js";
export type { Linkage } from "./linkage-tree.js";
export { MiniBatchKMeans, type MiniBatchKMeansOptions } from "./minibatch-kmeans.js";
