/**
 * Growing one CART tree the way scikit-learn's `BestSplitter` does: at every node,
 * features are drawn without replacement until `maxFeatures` have been looked at
 * (and at least one of them varies in the node); each is scanned for the best
 * threshold halfway between neighbouring distinct values (see scan/); the best
 * proxy gain wins, the first one on a tie. Depth-first growth, or best-first when
 * `maxLeafNodes` is set, as scikit-learn's two tree builders.
 */
import type { Rng } from "../rng.js";
import type { PreparedData } from "./data.js";
import { NodeStore } from "./node-store.js";
import { scanFeature } from "./scan/scan-feature.js";
import { EPSILON, SplitSearch } from "./scan/search.js";
import type { Tree } from "./tree.js";

export type Criterion = "gini" | "entropy" | "squared_error";

/** Resolved growth options (see options.ts for the user-facing ones and their checks). */
export interface GrowOptions {
  criterion: Criterion;
  /** Deepest level (the root is level 0); Infinity for none. */
  maxDepth: number;
  /** A node with fewer distinct rows is a leaf (>= 2). */
  minSamplesSplit: number;
  /** Each child keeps at least this many distinct rows (>= 1). */
  minSamplesLeaf: number;
  /** Features looked at per split, 1..d. */
  maxFeatures: number;
  /** A split must decrease the weighted impurity, as a share of the root's weight, by at least this. */
  minImpurityDecrease: number;
  /** Grow best-first up to this many leaves; Infinity for depth-first without a limit. */
  maxLeafNodes: number;
}

/** A node waiting for best-first expansion. */
interface Frontier {
  node: number;
  start: number;
  mid: number;
  end: number;
  depth: number;
  /** Impurity decrease of its split, as a share of the root's weight; -1 for a leaf. */
  improvement: number;
}

/**
 * Grows trees on one `PreparedData`; its scratch buffers are reused from tree to
 * tree, so a forest allocates them once.
 */
export class TreeGrower {
  private readonly outputs: number;
  private readonly rows: Int32Array;
  private readonly search: SplitSearch;
  private readonly features: Int32Array;
  private readonly constants: Int32Array;
  private readonly constantMark: Uint8Array;

  // Per tree
  private options!: GrowOptions;
  private rng!: Rng;
  private foundConstants = 0;

  constructor(private readonly data: PreparedData) {
    const { n, d, nClasses } = data;
    this.outputs = Math.max(1, nClasses);
    this.rows = new Int32Array(n);
    this.search = new SplitSearch(data, this.rows);
    this.features = Int32Array.from({ length: d }, (_, f) => f);
    this.constants = new Int32Array(d);
    this.constantMark = new Uint8Array(d);
  }

  /**
   * Grow one tree on the rows with a positive weight (bootstrap counts; null: every
   * row once).
   */
  grow(weights: Float64Array | null, options: GrowOptions, rng: Rng): Tree {
    const { n } = this.data;
    const rowWeights = weights ?? new Float64Array(n).fill(1);
    this.options = options;
    this.rng = rng;
    this.search.startTree(rowWeights, options.criterion, options.minSamplesLeaf);
    let m = 0;
    for (let i = 0; i < n; i++) if (rowWeights[i] > 0) this.rows[m++] = i;
    const store = new NodeStore(Math.max(1, Math.min(2 * m - 1, 4096)), this.outputs);
    if (m === 0) {
      store.add(-1, true);
      return store.toTree();
    }
    this.search.nodeStats(0, m);
    const rootWeight = this.search.nodeW;
    if (options.maxLeafNodes === Infinity) this.growDepthFirst(store, m, rootWeight);
    else this.growBestFirst(store, m, rootWeight);
    return store.toTree();
  }

  private growDepthFirst(store: NodeStore, m: number, rootWeight: number): void {
    // Stack of pending nodes: start, end, depth, parent, isLeft, known constant features.
    let stack = new Int32Array(6 * 64);
    let top = 0;
    const push = (start: number, end: number, depth: number, parent: number, isLeft: number, known: number) => {
      if (top + 6 > stack.length) {
        const grown = new Int32Array(2 * stack.length);
        grown.set(stack);
        stack = grown;
      }
      stack[top++] = start;
      stack[top++] = end;
      stack[top++] = depth;
      stack[top++] = parent;
      stack[top++] = isLeft;
      stack[top++] = known;
    };
    push(0, m, 0, -1, 1, 0);
    while (top > 0) {
      top -= 6;
      const start = stack[top];
      const end = stack[top + 1];
      const depth = stack[top + 2];
      const parent = stack[top + 3];
      const isLeft = stack[top + 4] === 1;
      const known = stack[top + 5];
      const node = store.add(parent, isLeft);
      const improvement = this.evaluateNode(store, node, start, end, depth, known, rootWeight);
      if (improvement < 0) continue;
      const mid = this.commitSplit(store, node, start, end);
      const childKnown = known + this.foundConstants;
      push(mid, end, depth + 1, node, 0, childKnown);
      push(start, mid, depth + 1, node, 1, childKnown);
    }
  }

  private growBestFirst(store: NodeStore, m: number, rootWeight: number): void {
    let splitsLeft = this.options.maxLeafNodes - 1;
    const heap: Frontier[] = [];
    const add = (parent: number, isLeft: boolean, start: number, end: number, depth: number) => {
      const node = store.add(parent, isLeft);
      // Known constant features are not carried across best-first nodes (an optimisation only).
      const improvement = this.evaluateNode(store, node, start, end, depth, 0, rootWeight);
      const mid = improvement < 0 ? end : this.commitSplit(store, node, start, end);
      heapPush(heap, { node, start, mid, end, depth, improvement });
    };
    add(-1, true, 0, m, 0);
    while (heap.length > 0) {
      const record = heapPop(heap);
      if (record.improvement < 0 || splitsLeft <= 0) {
        makeLeaf(store, record.node);
        continue;
      }
      splitsLeft--;
      add(record.node, true, record.start, record.mid, record.depth + 1);
      add(record.node, false, record.mid, record.end, record.depth + 1);
    }
  }

  /**
   * Fill the node's value, weight, impurity; search its best split. Returns the
   * split's improvement (share of the root's weight), or -1 when the node is a leaf.
   */
  private evaluateNode(
    store: NodeStore,
    node: number,
    start: number,
    end: number,
    depth: number,
    known: number,
    rootWeight: number,
  ): number {
    const { options, search } = this;
    const count = end - start;
    search.nodeStats(start, end);
    store.weight[node] = search.nodeW;
    store.samples[node] = count;
    store.impurity[node] = search.nodeImpurity;
    if (search.classes > 0) store.value.set(search.total, node * this.outputs);
    else store.value[node] = search.nodeS / search.nodeW;
    if (depth >= options.maxDepth || count < options.minSamplesSplit || count < 2 * options.minSamplesLeaf || search.nodePure) return -1;
    if (!this.findSplit(start, end, known)) return -1;
    const decrease = search.bestDecrease();
    const improvement = decrease / rootWeight;
    if (improvement + EPSILON < options.minImpurityDecrease) return -1;
    store.decrease[node] = decrease;
    return improvement;
  }

  /**
   * Draw features as scikit-learn does and keep the best split found in `best*`.
   * `known` constant features (from the ancestors) sit in constants[0, known);
   * constants found here are appended after them (`foundConstants`).
   */
  private findSplit(start: number, end: number, known: number): boolean {
    const { features, constants, constantMark, data, rng, search } = this;
    const d = data.d;
    const maxFeatures = this.options.maxFeatures;
    for (let k = 0; k < known; k++) constantMark[constants[k]] = 1;
    search.startSearch();
    this.foundConstants = 0;
    let visited = 0;
    let constantsSeen = 0;
    // Keep drawing until maxFeatures features were looked at, and at least one of them varies.
    for (let t = 0; t < d && (visited < maxFeatures || visited <= constantsSeen); t++) {
      const j = t + Math.floor(rng.random() * (d - t));
      const f = features[j];
      features[j] = features[t];
      features[t] = f;
      visited++;
      if (constantMark[f] === 1) {
        constantsSeen++;
        continue;
      }
      if (!scanFeature(search, f, start, end)) {
        constants[known + this.foundConstants++] = f;
        constantsSeen++;
      }
    }
    for (let k = 0; k < known; k++) constantMark[constants[k]] = 0;
    return search.bestFeature >= 0;
  }

  /** Record the best split at `node` and partition its rows, left ones first; returns where the right ones start. */
  private commitSplit(store: NodeStore, node: number, start: number, end: number): number {
    const { rows, search } = this;
    const f = search.bestFeature;
    const rank = this.data.rank[f];
    store.feature[node] = f;
    const k = this.data.categories[f];
    let p = start;
    let q = end;
    if (k === 0) {
      store.threshold[node] = search.bestThreshold;
      const bestRank = search.bestRank;
      while (p < q) {
        if (rank[rows[p]] <= bestRank) p++;
        else {
          q--;
          const t = rows[p];
          rows[p] = rows[q];
          rows[q] = t;
        }
      }
      return p;
    }
    const offset = store.table(k);
    store.categoryOffset[node] = offset;
    const goesLeft = store.goesLeft;
    // The side holding the lowest category present goes left, and absent categories
    // follow the heavier side (on a tie, the left): rules that do not depend on the
    // sign of the target, so negating it leaves the tree's shape unchanged.
    const w = search.nodeW;
    const prefix = search.bestCatsHoldLowest ? 1 : 0;
    const leftWeight = search.bestCatsHoldLowest ? search.bestLeftWeight : w - search.bestLeftWeight;
    const absentLeft = leftWeight >= w - leftWeight ? 1 : 0;
    for (let c = 0; c < k; c++) goesLeft[offset + c] = absentLeft;
    for (let j = start; j < end; j++) goesLeft[offset + rank[rows[j]]] = 1 - prefix;
    for (const c of search.bestCats) goesLeft[offset + c] = prefix;
    while (p < q) {
      if (goesLeft[offset + rank[rows[p]]] === 1) p++;
      else {
        q--;
        const t = rows[p];
        rows[p] = rows[q];
        rows[q] = t;
      }
    }
    return p;
  }
}

/** Undo a tentative split (best-first growth ran out of leaves). */
function makeLeaf(store: NodeStore, node: number): void {
  store.feature[node] = -1;
  store.left[node] = -1;
  store.right[node] = -1;
  store.threshold[node] = 0;
  store.decrease[node] = 0;
  store.categoryOffset[node] = -1;
}

/** Max-heap on improvement; among equals, the node made first. */
function before(a: Frontier, b: Frontier): boolean {
  return a.improvement > b.improvement || (a.improvement === b.improvement && a.node < b.node);
}

function heapPush(heap: Frontier[], item: Frontier): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function heapPop(heap: Frontier[]): Frontier {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}

/** Grow one tree (a one-off `TreeGrower`). */
export function growTree(data: PreparedData, weights: Float64Array | null, options: GrowOptions, rng: Rng): Tree {
  return new TreeGrower(data).grow(weights, options, rng);
}
