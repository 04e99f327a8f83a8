/**
 * The readers of every saved kind but the pipeline, by class name: the table
 * `modelFromJSON` dispatches on. A `Record` over the names, so a kind left out
 * does not compile.
 */
import { show, ValueError } from "../../core/errors.js";
import { MinMaxScaler, OneHotEncoder, SimpleImputer, StandardScaler } from "../preprocessing.js";
import { AgglomerativeClustering } from "./cluster/agglomerative.js";
import { DBSCAN } from "./cluster/dbscan.js";
import { GaussianMixture } from "./cluster/gaussian-mixture.js";
import { KMeans } from "./cluster/kmeans.js";
import { MiniBatchKMeans } from "./cluster/minibatch-kmeans.js";
import { DecisionTreeClassifier, DecisionTreeRegressor } from "./decision-tree.js";
import { PCA } from "./decomposition/pca.js";
import { GaussianNB } from "./gaussian-nb.js";
import { KNNClassifier, KNNRegressor } from "./knn.js";
import { LogisticRegression } from "./logistic-regression.js";
import { MLPClassifier, MLPRegressor } from "./mlp.js";
import { RandomForestClassifier, RandomForestRegressor } from "./random-forest.js";
import { Ridge } from "./ridge.js";
import { checkModelJSON, type Serializable } from "./serial.js";

export type StepKind =
  | "DecisionTreeClassifier"
  | "DecisionTreeRegressor"
  | "RandomForestClassifier"
  | "RandomForestRegressor"
  | "KNNClassifier"
  | "KNNRegressor"
  | "LogisticRegression"
  | "GaussianNB"
  | "Ridge"
  | "MLPClassifier"
  | "MLPRegressor"
  | "KMeans"
  | "MiniBatchKMeans"
  | "DBSCAN"
  | "AgglomerativeClustering"
  | "GaussianMixture"
  | "PCA"
  | "StandardScaler"
  | "MinMaxScaler"
  | "OneHotEncoder"
  | "SimpleImputer";

/** How each kind is read back; the MLPs load their network, so readers may be async. */
export const STEP_READERS: Record<StepKind, (json: unknown) => Serializable | Promise<Serializable>> = {
  DecisionTreeClassifier: DecisionTreeClassifier.fromJSON,
  DecisionTreeRegressor: DecisionTreeRegressor.fromJSON,
  RandomForestClassifier: RandomForestClassifier.fromJSON,
  RandomForestRegressor: RandomForestRegressor.fromJSON,
  KNNClassifier: KNNClassifier.fromJSON,
  KNNRegressor: KNNRegressor.fromJSON,
  LogisticRegression: LogisticRegression.fromJSON,
  GaussianNB: GaussianNB.fromJSON,
  Ridge: Ridge.fromJSON,
  MLPClassifier: MLPClassifier.fromJSON,
  MLPRegressor: MLPRegressor.fromJSON,
  KMeans: KMeans.fromJSON,
  MiniBatchKMeans: MiniBatchKMeans.fromJSON,
  DBSCAN: DBSCAN.fromJSON,
  AgglomerativeClustering: AgglomerativeClustering.fromJSON,
  GaussianMixture: GaussianMixture.fromJSON,
  PCA: PCA.fromJSON,
  StandardScaler: StandardScaler.fromJSON,
  MinMaxScaler: MinMaxScaler.fromJSON,
  OneHotEncoder: OneHotEncoder.fromJSON,
  SimpleImputer: SimpleImputer.fromJSON,
};

/**
 * Read a saved model of any kind in `STEP_READERS` or `more`; a ValueError for an
 * unknown kind lists the known ones, and one for another format version says so.
 */
export async function readSaved(
  where: string,
  json: unknown,
  more: Record<string, (json: unknown) => Serializable | Promise<Serializable>>,
): Promise<Serializable> {
  checkModelJSON(where, json);
  const readers: Record<string, (json: unknown) => Serializable | Promise<Serializable>> = { ...STEP_READERS, ...more };
  if (!Object.hasOwn(readers, json.kind)) {
    throw new ValueError(`${where}: unknown model kind ${show(json.kind)}; the known kinds are ${Object.keys(readers).sort().join(", ")}.`);
  }
  return readers[json.kind](json);
}
