/** scikit-learn 1.2's clustering outputs made by fixtures/make_sklearn_cluster_models.py, and partition helpers. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface KMeansCase {
  name: string;
  data: string;
  init: number[][];
  options: { maxIter: number; tol: number };
  centers: number[][];
  labels: number[];
  inertia: number;
  nIter: number;
  probe: number[][];
  predict: number[];
  transform: number[][];
}

export interface AgglomerativeCase {
  data: string;
  linkage: "ward" | "complete" | "average" | "single";
  metric: "euclidean" | "manhattan" | "chebyshev" | "cosine";
  nClusters: number | null;
  distanceThreshold: number | null;
  labels: number[];
  nClustersFound: number;
  children: [number, number][];
  distances: number[];
}

export interface DBSCANCase {
  data: string;
  eps: number;
  minSamples: number;
  metric: "euclidean" | "manhattan" | "chebyshev" | "cosine";
  labels: number[];
  coreSampleIndices: number[];
}

const file = fileURLToPath(new URL("./fixtures/sklearn-cluster-models.json", import.meta.url));

export const reference = JSON.parse(readFileSync(file, "utf8")) as {
  data: Record<string, number[][]>;
  kmeans: KMeansCase[];
  kmeansPlusPlus: { data: string; nClusters: number; inertia: number }[];
  miniBatch: { data: string; nClusters: number; kmeansInertia: number; sklearnMiniBatchInertia: number };
  agglomerative: AgglomerativeCase[];
  dbscan: DBSCANCase[];
};

/** The rows of a stored input matrix. */
export function rows(name: string): number[][] {
  const X = reference.data[name];
  assert.ok(X, `no stored data named ${name}`);
  return X;
}

/** Whether two labellings split the rows the same way, whatever the cluster numbers. */
export function samePartition(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((forward.get(a[i]) ?? b[i]) !== b[i] || (backward.get(b[i]) ?? a[i]) !== a[i]) return false;
    forward.set(a[i], b[i]);
    backward.set(b[i], a[i]);
  }
  return true;
}

export function maxAbsDiff(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  assert.equal(a.length, b.length);
  let max = 0;
  a.forEach((row, i) => {
    assert.equal(row.length, b[i].length);
    row.forEach((v, j) => {
      max = Math.max(max, Math.abs(v - b[i][j]));
    });
  });
  return max;
}
