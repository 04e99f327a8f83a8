/**
 * The merge tree of agglomerative clustering, built as scikit-learn 1.2 builds it
 * without a connectivity graph: Ward, complete and average linkage (and single
 * linkage under cosine) by SciPy's nearest-neighbour chain on `pdist` distances;
 * single linkage under the other metrics by scikit-learn's own Prim spanning tree.
 * Both follow the same tie-breaking, so tied distances merge in the same order.
 */
import type { Features } from "../../estimator.js";
import { condensedDistances, condensedIndex, type DistanceMetric, rowDistance } from "./distances.js";

/** How the distance between two clusters is measured. */
export type Linkage = "ward" | "complete" | "average" | "single";

export const LINKAGES: readonly Linkage[] = ["ward", "complete", "average", "single"];

/**
 * Merge i joins nodes `children[i]` into node n + i (nodes below n are the rows),
 * at linkage distance `distances[i]` (scikit-learn's `children_` and `distances_`).
 */
export interface LinkageTree {
  children: [number, number][];
  distances: number[];
}

/** One merge of two clusters, each named by a row in it, at a distance. */
type Merge = [number, number, number];

/** Lance–Williams updates: the distance from cluster i to x ∪ y (SciPy's, operation for operation). */
const UPDATES = {
  complete: (dxi: number, dyi: number) => Math.max(dxi, dyi),
  average: (dxi: number, dyi: number, _dxy: number, nx: number, ny: number) => (nx * dxi + ny * dyi) / (nx + ny),
  ward: (dxi: number, dyi: number, dxy: number, nx: number, ny: number, ni: number) => {
    const t = 1.0 / (nx + ny + ni);
    return Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
  },
};

/** SciPy's `nn_chain`: follow nearest neighbours until two are each other's, merge them, repeat. */
function nearestNeighbourChain(D: Float64Array, n: number, update: (typeof UPDATES)[keyof typeof UPDATES]): Merge[] {
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  let length = 0;
  const merges: Merge[] = [];
  for (let k = 0; k < n - 1; k++) {
    if (length === 0) {
      chain[0] = size.findIndex((s) => s > 0);
      length = 1;
    }
    let x: number;
    let y = 0;
    let current: number;
    for (;;) {
      x = chain[length - 1];
      // The previous link of the chain wins ties, so the chain cannot cycle.
      if (length > 1) {
        y = chain[length - 2];
        current = D[condensedIndex(n, x, y)];
      } else {
        current = Infinity;
      }
      for (let i = 0; i < n; i++) {
        if (size[i] === 0 || i === x) continue;
        const d = D[condensedIndex(n, x, i)];
        if (d < current) {
          current = d;
          y = i;
        }
      }
      if (length > 1 && y === chain[length - 2]) break;
      chain[length++] = y;
    }
    length -= 2;
    if (x > y) [x, y] = [y, x];
    const nx = size[x];
    const ny = size[y];
    merges.push([x, y, current]);
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      const ni = size[i];
      if (ni === 0 || i === y) continue;
      const iy = condensedIndex(n, i, y);
      D[iy] = update(D[condensedIndex(n, i, x)], D[iy], current, nx, ny, ni);
    }
  }
  return merges;
}

/** Prim's minimum spanning tree from row 0, the edges in the order they join (single linkage). */
function spanningTree(n: number, distance: (i: number, j: number) => number): Merge[] {
  const inTree = new Uint8Array(n);
  const closest = new Float64Array(n).fill(Infinity);
  const edges: Merge[] = [];
  let current = 0;
  for (let step = 1; step < n; step++) {
    inTree[current] = 1;
    let next = 0;
    let nextDistance = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const d = distance(current, j);
      if (d < closest[j]) closest[j] = d;
      if (closest[j] < nextDistance) {
        nextDistance = closest[j];
        next = j;
      }
    }
    edges.push([current, next, nextDistance]);
    current = next;
  }
  return edges;
}

/**
 * Sort merges by distance (stably) and name each side by the node it has become:
 * SciPy puts the smaller node first; scikit-learn's single linkage keeps the sides
 * in the order of the spanning-tree edge.
 */
function label(merges: Merge[], n: number, smallerFirst: boolean): LinkageTree {
  const sorted = merges.map((m, i) => [m, i] as const).sort((a, b) => a[0][2] - b[0][2] || a[1] - b[1]);
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const find = (node: number): number => {
    let root = node;
    while (parent[root] !== root) root = parent[root];
    while (parent[node] !== root) [node, parent[node]] = [parent[node], root];
    return root;
  };
  const children: [number, number][] = [];
  const distances: number[] = [];
  sorted.forEach(([[a, b, d]], i) => {
    const ra = find(a);
    const rb = find(b);
    children.push(smallerFirst && rb < ra ? [rb, ra] : [ra, rb]);
    distances.push(d);
    parent[ra] = parent[rb] = n + i;
  });
  return { children, distances };
}

/** The full merge tree of the rows of X (at least two rows; no zero rows under cosine). */
export function linkageTree(X: Features, linkage: Linkage, metric: DistanceMetric): LinkageTree {
  const n = X.length;
  if (linkage === "single" && metric !== "cosine") return label(spanningTree(n, rowDistance(X, metric)), n, false);
  const D = condensedDistances(X, linkage === "ward" ? "euclidean" : metric);
  if (linkage === "single")
    return label(
      spanningTree(n, (i, j) => D[condensedIndex(n, i, j)]),
      n,
      true,
    );
  return label(nearestNeighbourChain(D, n, UPDATES[linkage]), n, true);
}
