/**
 * Growing one CART tree the way scikit-learn's `BestSplitter` does: at every node,
 * features are drawn without replacement until `maxFeatures` have been looked at
 * (and at least one of them varies in the node); each is scanned for the best
 * threshold halfway between neighbouring distinct values; the best proxy gain wins,
 * the first one on a tie. Depth-first growth, or best-first when `maxLeafNodes` is
 * set, as scikit-learn's two tree builders.
 *
 * Split search works on ranks (see data.ts). A node whose rows outnumber a
 * feature's distinct values gathers a histogram over the ranks (one pass, no sort);
 * a small node sorts its rows' ranks instead. Both scan the same candidate
 * thresholds, so the choice between them changes speed, never the tree.
 *
 * Categorical features (regression only) are split natively: the categories present
 * in the node are ordered by mean target and split as a prefix of that order, the
 * optimal partition for squared error (Breiman et al. 1984, §9.4).
 */
import type { Rng } from "../rng.js";
import type { PreparedData } from "./data.js";
import { Tree } from "./tree.js";

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

/** Values closer than this count as equal, as in scikit-learn (which splits float32 features). */
const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;
const LN2 = Math.LN2;
/** A node sorts its rows' ranks when a feature has more than this many distinct values per row. */
const HISTOGRAM_RATIO = 2;
/** Below this many rows, ranks are sorted by insertion. */
const INSERTION_SORT = 24;

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

/** Growable per-node arrays of one tree. */
class NodeStore {
  count = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  weight: Float64Array;
  samples: Int32Array;
  impurity: Float64Array;
  decrease: Float64Array;
  categoryOffset: Int32Array;
  goesLeft: Uint8Array;
  poolSize = 0;

  constructor(
    private capacity: number,
    private readonly outputs: number,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity * outputs);
    this.weight = new Float64Array(capacity);
    this.samples = new Int32Array(capacity);
    this.impurity = new Float64Array(capacity);
    this.decrease = new Float64Array(capacity);
    this.categoryOffset = new Int32Array(capacity);
    this.goesLeft = new Uint8Array(0);
  }

  /** A new leaf hanging from `parent` (-1 for the root). */
  add(parent: number, isLeft: boolean): number {
    if (this.count === this.capacity) this.grow();
    const node = this.count++;
    this.feature[node] = -1;
    this.left[node] = -1;
    this.right[node] = -1;
    this.categoryOffset[node] = -1;
    if (parent >= 0) {
      if (isLeft) this.left[parent] = node;
      else this.right[parent] = node;
    }
    return node;
  }

  /** Room for a category table of k entries; returns its offset. */
  table(k: number): number {
    if (this.poolSize + k > this.goesLeft.length) {
      const grown = new Uint8Array(Math.max(64, 2 * this.goesLeft.length, this.poolSize + k));
      grown.set(this.goesLeft);
      this.goesLeft = grown;
    }
    const offset = this.poolSize;
    this.poolSize += k;
    return offset;
  }

  private grow(): void {
    const capacity = 2 * this.capacity;
    const widen = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T, per = 1): T => {
      const b = make(capacity * per);
      b.set(a);
      return b;
    };
    const i32 = (n: number) => new Int32Array(n);
    const f64 = (n: number) => new Float64Array(n);
    this.feature = widen(this.feature, i32);
    this.threshold = widen(this.threshold, f64);
    this.left = widen(this.left, i32);
    this.right = widen(this.right, i32);
    this.value = widen(this.value, f64, this.outputs);
    this.weight = widen(this.weight, f64);
    this.samples = widen(this.samples, i32);
    this.impurity = widen(this.impurity, f64);
    this.decrease = widen(this.decrease, f64);
    this.categoryOffset = widen(this.categoryOffset, i32);
    this.capacity = capacity;
  }

  toTree(): Tree {
    const n = this.count;
    return new Tree(
      n,
      this.outputs,
      this.feature.slice(0, n),
      this.threshold.slice(0, n),
      this.left.slice(0, n),
      this.right.slice(0, n),
      this.value.slice(0, n * this.outputs),
      this.weight.slice(0, n),
      this.samples.slice(0, n),
      this.impurity.slice(0, n),
      this.decrease.slice(0, n),
      this.categoryOffset.slice(0, n),
      this.goesLeft.slice(0, this.poolSize),
    );
  }
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
  private readonly classes: number;
  private readonly outputs: number;
  private readonly rows: Int32Array;
  private readonly hist: Float64Array;
  private readonly binW: Float64Array;
  private readonly binS: Float64Array;
  private readonly binN: Int32Array;
  private readonly sortKey: Float64Array;
  private readonly sortRank: Int32Array;
  private readonly sortRow: Int32Array;
  private readonly features: Int32Array;
  private readonly constants: Int32Array;
  private readonly constantMark: Uint8Array;
  private readonly total: Float64Array;
  private readonly leftCounts: Float64Array;
  private readonly catRank: Int32Array;
  private readonly present: number[] = [];

  // Per tree
  private weights: Float64Array = new Float64Array(0);
  private options!: GrowOptions;
  private rng!: Rng;
  private entropy = false;

  // Statistics of the current node
  private nodeW = 0;
  private nodeS = 0;
  private nodeImpurity = 0;
  /** The split proxy of the node itself: what a split's proxy must exceed to decrease impurity. */
  private nodeProxy = 0;
  private nodePure = false;

  // Best split of the current node
  private bestProxy = -Infinity;
  private bestFeature = -1;
  private bestRank = 0;
  private bestThreshold = 0;
  private bestCats: number[] = [];
  private bestLeftWeight = 0;
  private bestCatsHoldLowest = false;
  private foundConstants = 0;

  constructor(private readonly data: PreparedData) {
    const { n, d, maxBins, nClasses } = data;
    this.classes = nClasses;
    this.outputs = Math.max(1, nClasses);
    this.rows = new Int32Array(n);
    this.hist = new Float64Array(maxBins * this.outputs);
    this.binW = new Float64Array(maxBins);
    this.binS = new Float64Array(maxBins);
    this.binN = new Int32Array(maxBins);
    this.sortKey = new Float64Array(n);
    this.sortRank = new Int32Array(n);
    this.sortRow = new Int32Array(n);
    this.features = Int32Array.from({ length: d }, (_, f) => f);
    this.constants = new Int32Array(d);
    this.constantMark = new Uint8Array(d);
    this.total = new Float64Array(this.outputs);
    this.leftCounts = new Float64Array(this.outputs);
    let maxK = 0;
    for (let f = 0; f < d; f++) maxK = Math.max(maxK, data.categories[f]);
    this.catRank = new Int32Array(maxK);
  }

  /**
   * Grow one tree on the rows with a positive weight (bootstrap counts; null: every
   * row once).
   */
  grow(weights: Float64Array | null, options: GrowOptions, rng: Rng): Tree {
    const { n } = this.data;
    this.weights = weights ?? new Float64Array(n).fill(1);
    this.options = options;
    this.rng = rng;
    this.entropy = options.criterion === "entropy";
    let m = 0;
    for (let i = 0; i < n; i++) if (this.weights[i] > 0) this.rows[m++] = i;
    const store = new NodeStore(Math.max(1, Math.min(2 * m - 1, 4096)), this.outputs);
    if (m === 0) {
      store.add(-1, true);
      return store.toTree();
    }
    this.nodeStats(0, m);
    const rootWeight = this.nodeW;
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
    const options = this.options;
    const count = end - start;
    this.nodeStats(start, end);
    store.weight[node] = this.nodeW;
    store.samples[node] = count;
    store.impurity[node] = this.nodeImpurity;
    if (this.classes > 0) store.value.set(this.total, node * this.outputs);
    else store.value[node] = this.nodeS / this.nodeW;
    if (depth >= options.maxDepth || count < options.minSamplesSplit || count < 2 * options.minSamplesLeaf || this.nodePure) return -1;
    if (!this.findSplit(start, end, known)) return -1;
    let decrease = this.bestProxy - this.nodeProxy;
    if (this.entropy) decrease /= LN2;
    if (decrease < 0) decrease = 0;
    const improvement = decrease / rootWeight;
    if (improvement + EPSILON < options.minImpurityDecrease) return -1;
    store.decrease[node] = decrease;
    return improvement;
  }

  /** Statistics of rows[start, end): weights, class counts or sums, impurity. */
  private nodeStats(start: number, end: number): void {
    const { rows, weights, total } = this;
    if (this.classes > 0) {
      const y = this.data.yClass;
      total.fill(0);
      let w = 0;
      for (let j = start; j < end; j++) {
        const i = rows[j];
        total[y[i]] += weights[i];
        w += weights[i];
      }
      this.nodeW = w;
      if (this.entropy) {
        let sumXlogX = 0;
        for (let c = 0; c < this.classes; c++) sumXlogX += xlogx(total[c]);
        // w·H (nats) = w ln w − Σ c ln c
        this.nodeProxy = sumXlogX - xlogx(w);
        this.nodeImpurity = Math.max(0, -this.nodeProxy / w / LN2);
      } else {
        let sq = 0;
        for (let c = 0; c < this.classes; c++) sq += total[c] * total[c];
        this.nodeProxy = sq / w;
        this.nodeImpurity = 1 - sq / (w * w);
      }
      this.nodePure = this.nodeImpurity <= EPSILON;
      return;
    }
    const y = this.data.yValue;
    let w = 0;
    let s = 0;
    let yMin = Infinity;
    let yMax = -Infinity;
    for (let j = start; j < end; j++) {
      const i = rows[j];
      const wi = weights[i];
      const yi = y[i];
      w += wi;
      s += wi * yi;
      if (yi < yMin) yMin = yi;
      if (yi > yMax) yMax = yi;
    }
    const mean = s / w;
    let ss = 0;
    for (let j = start; j < end; j++) {
      const i = rows[j];
      const r = y[i] - mean;
      ss += weights[i] * r * r;
    }
    this.nodeW = w;
    this.nodeS = s;
    this.nodeProxy = (s * s) / w;
    this.nodeImpurity = ss / w;
    // A node of equal targets is pure; a tiny variance is not (scikit-learn's test is
    // variance <= 2.2e-16, which would stop studies whose values are all tiny).
    this.nodePure = yMin === yMax;
  }

  /**
   * Draw features as scikit-learn does and keep the best split found in `best*`.
   * `known` constant features (from the ancestors) sit in constants[0, known);
   * constants found here are appended after them (`foundConstants`).
   */
  private findSplit(start: number, end: number, known: number): boolean {
    const { features, constants, constantMark, data, rng } = this;
    const d = data.d;
    const maxFeatures = this.options.maxFeatures;
    for (let k = 0; k < known; k++) constantMark[constants[k]] = 1;
    this.bestProxy = -Infinity;
    this.bestFeature = -1;
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
      if (!this.scanFeature(f, start, end)) {
        constants[known + this.foundConstants++] = f;
        constantsSeen++;
      }
    }
    for (let k = 0; k < known; k++) constantMark[constants[k]] = 0;
    return this.bestFeature >= 0;
  }

  /** Scan one feature for the node's best split; false when it is constant in the node. */
  private scanFeature(f: number, start: number, end: number): boolean {
    if (this.data.categories[f] > 0) return this.scanCategorical(f, start, end);
    const count = end - start;
    const useHistogram = this.data.values[f].length <= HISTOGRAM_RATIO * count;
    if (this.classes > 0) return useHistogram ? this.scanClassesHistogram(f, start, end) : this.scanClassesSorted(f, start, end);
    return useHistogram ? this.scanValuesHistogram(f, start, end) : this.scanValuesSorted(f, start, end);
  }

  private keepBest(proxy: number, f: number, rankLow: number, rankHigh: number): void {
    this.bestProxy = proxy;
    this.bestFeature = f;
    this.bestRank = rankLow;
    const values = this.data.values[f];
    const a = values[rankLow];
    const b = values[rankHigh];
    // Halfway, summed as halves so that huge values do not overflow; never equal to b.
    let threshold = a / 2 + b / 2;
    if (threshold === b || !Number.isFinite(threshold)) threshold = a;
    this.bestThreshold = threshold;
  }

  /** Classification proxy with the current left counts: Gini Σc²/w per side, or −w·H per side (nats). */
  private entropyProxy(wL: number, wR: number): number {
    const { leftCounts, total } = this;
    let s = 0;
    for (let c = 0; c < this.classes; c++) s += xlogx(leftCounts[c]) + xlogx(total[c] - leftCounts[c]);
    return s - xlogx(wL) - xlogx(wR);
  }

  private scanClassesHistogram(f: number, start: number, end: number): boolean {
    const { rows, weights, hist, binW, binN, leftCounts, total } = this;
    const K = this.classes;
    const y = this.data.yClass;
    const rank = this.data.rank[f];
    const values = this.data.values[f];
    let minR = values.length;
    let maxR = -1;
    for (let j = start; j < end; j++) {
      const i = rows[j];
      const r = rank[i];
      const w = weights[i];
      hist[r * K + y[i]] += w;
      binW[r] += w;
      binN[r]++;
      if (r < minR) minR = r;
      if (r > maxR) maxR = r;
    }
    if (values[maxR] <= values[minR] + FEATURE_THRESHOLD) {
      for (let r = minR; r <= maxR; r++) {
        if (binN[r] === 0) continue;
        hist.fill(0, r * K, r * K + K);
        binW[r] = 0;
        binN[r] = 0;
      }
      return false;
    }
    const count = end - start;
    const minLeaf = this.options.minSamplesLeaf;
    const w = this.nodeW;
    const entropy = this.entropy;
    leftCounts.fill(0);
    let sqL = 0;
    let sqR = 0;
    for (let c = 0; c < K; c++) sqR += total[c] * total[c];
    let wL = 0;
    let nL = 0;
    let prev = -1;
    let best = this.bestProxy;
    for (let r = minR; r <= maxR; r++) {
      const nr = binN[r];
      if (nr === 0) continue;
      if (prev >= 0 && values[r] > values[prev] + FEATURE_THRESHOLD && nL >= minLeaf && count - nL >= minLeaf) {
        const wR = w - wL;
        const proxy = entropy ? this.entropyProxy(wL, wR) : sqL / wL + sqR / wR;
        if (proxy > best) {
          best = proxy;
          this.keepBest(proxy, f, prev, r);
        }
      }
      const base = r * K;
      for (let c = 0; c < K; c++) {
        const h = hist[base + c];
        if (h === 0) continue;
        const L = leftCounts[c];
        const R = total[c] - L;
        sqL += h * (2 * L + h);
        sqR += h * (h - 2 * R);
        leftCounts[c] = L + h;
        hist[base + c] = 0;
      }
      wL += binW[r];
      nL += nr;
      binW[r] = 0;
      binN[r] = 0;
      prev = r;
    }
    return true;
  }

  /** Sort the node's rows by their rank of feature f into sortRank / sortRow [0, count). */
  private sortRows(f: number, start: number, end: number): void {
    const { rows, sortRank, sortRow, sortKey } = this;
    const rank = this.data.rank[f];
    const count = end - start;
    if (count <= INSERTION_SORT) {
      for (let q = 0; q < count; q++) {
        const i = rows[start + q];
        const r = rank[i];
        let p = q - 1;
        while (p >= 0 && sortRank[p] > r) {
          sortRank[p + 1] = sortRank[p];
          sortRow[p + 1] = sortRow[p];
          p--;
        }
        sortRank[p + 1] = r;
        sortRow[p + 1] = i;
      }
      return;
    }
    // Rank and position packed in one double (exact below 2^53), sorted natively.
    for (let q = 0; q < count; q++) sortKey[q] = rank[rows[start + q]] * count + q;
    const keys = sortKey.subarray(0, count);
    keys.sort();
    for (let q = 0; q < count; q++) {
      const key = keys[q];
      const r = Math.floor(key / count);
      sortRank[q] = r;
      sortRow[q] = rows[start + (key - r * count)];
    }
  }

  private scanClassesSorted(f: number, start: number, end: number): boolean {
    const values = this.data.values[f];
    const count = end - start;
    this.sortRows(f, start, end);
    const { sortRank, sortRow, weights, leftCounts, total } = this;
    if (values[sortRank[count - 1]] <= values[sortRank[0]] + FEATURE_THRESHOLD) return false;
    const K = this.classes;
    const y = this.data.yClass;
    const minLeaf = this.options.minSamplesLeaf;
    const w = this.nodeW;
    const entropy = this.entropy;
    leftCounts.fill(0);
    let sqL = 0;
    let sqR = 0;
    for (let c = 0; c < K; c++) sqR += total[c] * total[c];
    let wL = 0;
    let best = this.bestProxy;
    for (let q = 0; q < count; q++) {
      const r = sortRank[q];
      if (q > 0) {
        const prev = sortRank[q - 1];
        if (r !== prev && values[r] > values[prev] + FEATURE_THRESHOLD && q >= minLeaf && count - q >= minLeaf) {
          const wR = w - wL;
          const proxy = entropy ? this.entropyProxy(wL, wR) : sqL / wL + sqR / wR;
          if (proxy > best) {
            best = proxy;
            this.keepBest(proxy, f, prev, r);
          }
        }
      }
      const i = sortRow[q];
      const h = weights[i];
      const c = y[i];
      const L = leftCounts[c];
      const R = total[c] - L;
      sqL += h * (2 * L + h);
      sqR += h * (h - 2 * R);
      leftCounts[c] = L + h;
      wL += h;
    }
    return true;
  }

  private scanValuesHistogram(f: number, start: number, end: number): boolean {
    const { rows, weights, binW, binS, binN } = this;
    const y = this.data.yValue;
    const rank = this.data.rank[f];
    const values = this.data.values[f];
    let minR = values.length;
    let maxR = -1;
    for (let j = start; j < end; j++) {
      const i = rows[j];
      const r = rank[i];
      const w = weights[i];
      binW[r] += w;
      binS[r] += w * y[i];
      binN[r]++;
      if (r < minR) minR = r;
      if (r > maxR) maxR = r;
    }
    if (values[maxR] <= values[minR] + FEATURE_THRESHOLD) {
      binW.fill(0, minR, maxR + 1);
      binS.fill(0, minR, maxR + 1);
      binN.fill(0, minR, maxR + 1);
      return false;
    }
    const count = end - start;
    const minLeaf = this.options.minSamplesLeaf;
    const w = this.nodeW;
    const s = this.nodeS;
    let wL = 0;
    let sL = 0;
    let nL = 0;
    let prev = -1;
    let best = this.bestProxy;
    for (let r = minR; r <= maxR; r++) {
      const nr = binN[r];
      if (nr === 0) continue;
      if (prev >= 0 && values[r] > values[prev] + FEATURE_THRESHOLD && nL >= minLeaf && count - nL >= minLeaf) {
        const sR = s - sL;
        const proxy = (sL * sL) / wL + (sR * sR) / (w - wL);
        if (proxy > best) {
          best = proxy;
          this.keepBest(proxy, f, prev, r);
        }
      }
      wL += binW[r];
      sL += binS[r];
      nL += nr;
      binW[r] = 0;
      binS[r] = 0;
      binN[r] = 0;
      prev = r;
    }
    return true;
  }

  private scanValuesSorted(f: number, start: number, end: number): boolean {
    const values = this.data.values[f];
    const count = end - start;
    this.sortRows(f, start, end);
    const { sortRank, sortRow, weights } = this;
    if (values[sortRank[count - 1]] <= values[sortRank[0]] + FEATURE_THRESHOLD) return false;
    const y = this.data.yValue;
    const minLeaf = this.options.minSamplesLeaf;
    const w = this.nodeW;
    const s = this.nodeS;
    let wL = 0;
    let sL = 0;
    let best = this.bestProxy;
    for (let q = 0; q < count; q++) {
      const r = sortRank[q];
      if (q > 0) {
        const prev = sortRank[q - 1];
        if (r !== prev && values[r] > values[prev] + FEATURE_THRESHOLD && q >= minLeaf && count - q >= minLeaf) {
          const sR = s - sL;
          const proxy = (sL * sL) / wL + (sR * sR) / (w - wL);
          if (proxy > best) {
            best = proxy;
            this.keepBest(proxy, f, prev, r);
          }
        }
      }
      const i = sortRow[q];
      wL += weights[i];
      sL += weights[i] * y[i];
    }
    return true;
  }

  private scanCategorical(f: number, start: number, end: number): boolean {
    const { rows, weights, binW, binS, binN, catRank, present } = this;
    const y = this.data.yValue;
    const rank = this.data.rank[f];
    const k = this.data.categories[f];
    for (let j = start; j < end; j++) {
      const i = rows[j];
      const c = rank[i];
      binW[c] += weights[i];
      binS[c] += weights[i] * y[i];
      binN[c]++;
    }
    present.length = 0;
    for (let c = 0; c < k; c++) if (binN[c] > 0) present.push(c);
    if (present.length < 2) {
      binW.fill(0, 0, k);
      binS.fill(0, 0, k);
      binN.fill(0, 0, k);
      return false;
    }
    const count = end - start;
    const minLeaf = this.options.minSamplesLeaf;
    present.sort((a, b) => binS[a] / binW[a] - binS[b] / binW[b] || a - b);
    for (let p = 0; p < present.length; p++) catRank[present[p]] = p;
    for (let p = 0; p < present.length - 1; p++) {
      // Categories with equal means stay together, so that negating the target mirrors the tree exactly.
      const c = present[p];
      const next = present[p + 1];
      if (binS[c] / binW[c] === binS[next] / binW[next]) continue;
      // Both sides are summed in category order, whichever side is "left", for the same reason.
      let wL = 0;
      let sL = 0;
      let nL = 0;
      let wR = 0;
      let sR = 0;
      for (let q = 0; q < k; q++) {
        if (binN[q] === 0) continue;
        if (catRank[q] <= p) {
          wL += binW[q];
          sL += binS[q];
          nL += binN[q];
        } else {
          wR += binW[q];
          sR += binS[q];
        }
      }
      if (nL < minLeaf || count - nL < minLeaf) continue;
      const proxy = (sL * sL) / wL + (sR * sR) / wR;
      if (proxy > this.bestProxy) {
        this.bestProxy = proxy;
        this.bestFeature = f;
        this.bestCats = present.slice(0, p + 1);
        this.bestLeftWeight = wL;
        this.bestCatsHoldLowest = Math.min(...this.bestCats) === present.reduce((a, b) => Math.min(a, b));
      }
    }
    binW.fill(0, 0, k);
    binS.fill(0, 0, k);
    binN.fill(0, 0, k);
    return true;
  }

  /** Record the best split at `node` and partition its rows, left ones first; returns where the right ones start. */
  private commitSplit(store: NodeStore, node: number, start: number, end: number): number {
    const f = this.bestFeature;
    const rows = this.rows;
    const rank = this.data.rank[f];
    store.feature[node] = f;
    const k = this.data.categories[f];
    let p = start;
    let q = end;
    if (k === 0) {
      store.threshold[node] = this.bestThreshold;
      const bestRank = this.bestRank;
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
    const w = this.nodeW;
    const prefix = this.bestCatsHoldLowest ? 1 : 0;
    const leftWeight = this.bestCatsHoldLowest ? this.bestLeftWeight : w - this.bestLeftWeight;
    const absentLeft = leftWeight >= w - leftWeight ? 1 : 0;
    for (let c = 0; c < k; c++) goesLeft[offset + c] = absentLeft;
    for (let j = start; j < end; j++) goesLeft[offset + rank[rows[j]]] = 1 - prefix;
    for (const c of this.bestCats) goesLeft[offset + c] = prefix;
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
