import type { Rng } from "../../../core/rng.js";

/**
 * A small, fast CART regression tree on Float64Arrays, grown the way scikit-learn's
 * `DecisionTreeRegressor` grows one (squared error, best split over the features
 * tried, thresholds halfway between neighbouring values, depth-first), with native
 * categorical splits: the categories present in a node are ordered by their mean
 * target and split as a prefix of that order, which is the optimal partition for
 * squared error (Breiman et al. 1984, §9.4). The tree keeps its internals (split
 * features, thresholds, children, leaf values) for the functional ANOVA.
 */

/** Training data, one column per feature. */
export interface TreeData {
  n: number;
  columns: Float64Array[];
  /** Number of categories of each feature (values 0..k-1); 0 for a numeric feature. */
  categories: Int32Array;
  y: Float64Array;
}

export interface TreeOptions {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried at each split (at most the number of features). */
  maxFeatures: number;
}

export class RegressionTree {
  constructor(
    readonly nodeCount: number,
    /** Split feature of each node; -1 for a leaf. */
    readonly feature: Int32Array,
    /** Numeric split: a value `<= threshold` goes left. */
    readonly threshold: Float64Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    /** Weighted mean target of the node's training samples. */
    readonly value: Float64Array,
    /** Weighted number of training samples in the node. */
    readonly weight: Float64Array,
    /** Decrease of the weighted squared error achieved by the node's split (0 for leaves). */
    readonly decrease: Float64Array,
    /** Categorical split: offset into `goesLeft` of the node's category table; -1 for numeric splits. */
    readonly categoryOffset: Int32Array,
    /** For categorical splits: 1 where category c of the split feature goes left. */
    readonly goesLeft: Uint8Array,
  ) {}

  isLeaf(node: number): boolean {
    return this.feature[node] < 0;
  }

  /** True when a sample with `x` as the node's split feature goes left. */
  goesLeftAt(node: number, x: number): boolean {
    const offset = this.categoryOffset[node];
    return offset < 0 ? x <= this.threshold[node] : this.goesLeft[offset + x] === 1;
  }

  /** The prediction for one sample (values indexed by feature). */
  predict(x: ArrayLike<number>): number {
    let node = 0;
    while (this.feature[node] >= 0) node = this.goesLeftAt(node, x[this.feature[node]]) ? this.left[node] : this.right[node];
    return this.value[node];
  }
}

/** Sample indices sorted by each numeric feature (identity for categorical ones); computed once per forest. */
export function presort(data: TreeData): Int32Array[] {
  return data.columns.map((column, f) => {
    const order = Int32Array.from({ length: data.n }, (_, i) => i);
    if (data.categories[f] === 0) order.sort((a, b) => column[a] - column[b] || a - b);
    return order;
  });
}

/**
 * Grow one tree on the samples with a positive weight (bootstrap counts).
 * `sorted` comes from `presort(data)`.
 */
export function growTree(data: TreeData, sorted: readonly Int32Array[], weights: Float64Array, options: TreeOptions, rng: Rng): RegressionTree {
  const d = data.columns.length;
  const { columns, categories, y } = data;
  let m = 0;
  for (let i = 0; i < data.n; i++) if (weights[i] > 0) m++;
  // Every feature's order holds the node's samples in one shared range [start, end).
  const order = sorted.map((s) => {
    const o = new Int32Array(m);
    let k = 0;
    for (let j = 0; j < s.length; j++) if (weights[s[j]] > 0) o[k++] = s[j];
    return o;
  });

  const capacity = Math.max(1, 2 * m - 1);
  const feature = new Int32Array(capacity).fill(-1);
  const threshold = new Float64Array(capacity);
  const left = new Int32Array(capacity).fill(-1);
  const right = new Int32Array(capacity).fill(-1);
  const value = new Float64Array(capacity);
  const weight = new Float64Array(capacity);
  const decrease = new Float64Array(capacity);
  const categoryOffset = new Int32Array(capacity).fill(-1);
  let goesLeft = new Uint8Array(64);
  let poolSize = 0;

  const maxK = categories.reduce((a, b) => Math.max(a, b), 0);
  const catW = new Float64Array(maxK);
  const catS = new Float64Array(maxK);
  const catN = new Int32Array(maxK);
  const catRank = new Int32Array(maxK);
  const present: number[] = [];
  let bestCats: number[] = [];
  const featureOrder = Int32Array.from({ length: d }, (_, f) => f);
  const toLeft = new Uint8Array(data.n);
  const buffer = new Int32Array(m);

  const stackNode = new Int32Array(m + 2);
  const stackStart = new Int32Array(m + 2);
  const stackEnd = new Int32Array(m + 2);
  const stackDepth = new Int32Array(m + 2);
  let top = 0;
  let nodeCount = 1;
  if (m > 0) {
    stackNode[0] = 0;
    stackStart[0] = 0;
    stackEnd[0] = m;
    stackDepth[0] = 0;
    top = 1;
  }

  while (top > 0) {
    top--;
    const node = stackNode[top];
    const start = stackStart[top];
    const end = stackEnd[top];
    const depth = stackDepth[top];
    const count = end - start;

    const any = order[0];
    let w = 0;
    let s = 0;
    let yMin = Infinity;
    let yMax = -Infinity;
    for (let k = start; k < end; k++) {
      const i = any[k];
      const wi = weights[i];
      const yi = y[i];
      w += wi;
      s += wi * yi;
      if (yi < yMin) yMin = yi;
      if (yi > yMax) yMax = yi;
    }
    value[node] = s / w;
    weight[node] = w;
    if (count < options.minSamplesSplit || depth >= options.maxDepth || yMin === yMax) continue;

    // Fisher–Yates over the features: which ones are tried first breaks ties, as in scikit-learn.
    for (let f = d - 1; f > 0; f--) {
      const j = Math.floor(rng.random() * (f + 1));
      const t = featureOrder[f];
      featureOrder[f] = featureOrder[j];
      featureOrder[j] = t;
    }

    let best = -Infinity;
    let bestFeature = -1;
    let bestThreshold = 0;
    let bestLeftWeight = 0;
    let bestCatsHoldLowest = false;
    let tried = 0;
    const minLeaf = options.minSamplesLeaf;
    for (let fi = 0; fi < d && tried < options.maxFeatures; fi++) {
      const f = featureOrder[fi];
      const column = columns[f];
      const ord = order[f];
      const k = categories[f];
      if (k === 0) {
        if (column[ord[start]] === column[ord[end - 1]]) continue; // constant here: not counted as tried
        tried++;
        let wL = 0;
        let sL = 0;
        for (let j = start; j < end - 1; j++) {
          const i = ord[j];
          wL += weights[i];
          sL += weights[i] * y[i];
          const x = column[i];
          const next = column[ord[j + 1]];
          if (next <= x) continue;
          const nL = j - start + 1;
          if (nL < minLeaf || count - nL < minLeaf) continue;
          const wR = w - wL;
          const sR = s - sL;
          const gain = (sL * sL) / wL + (sR * sR) / wR;
          if (gain > best) {
            best = gain;
            bestFeature = f;
            let mid = x + (next - x) / 2;
            if (mid >= next) mid = x;
            bestThreshold = mid;
          }
        }
      } else {
        catW.fill(0, 0, k);
        catS.fill(0, 0, k);
        catN.fill(0, 0, k);
        for (let j = start; j < end; j++) {
          const i = ord[j];
          const c = column[i];
          catW[c] += weights[i];
          catS[c] += weights[i] * y[i];
          catN[c]++;
        }
        present.length = 0;
        for (let c = 0; c < k; c++) if (catN[c] > 0) present.push(c);
        if (present.length < 2) continue;
        tried++;
        present.sort((a, b) => catS[a] / catW[a] - catS[b] / catW[b] || a - b);
        for (let p = 0; p < present.length; p++) catRank[present[p]] = p;
        for (let p = 0; p < present.length - 1; p++) {
          // Categories with equal means stay together, so that negating the target mirrors the tree exactly.
          const c = present[p];
          const next = present[p + 1];
          if (catS[c] / catW[c] === catS[next] / catW[next]) continue;
          // Both sides are summed in category order, whichever side is "left", for the same reason.
          let wL = 0, sL = 0, nL = 0, wR = 0, sR = 0;
          for (let q = 0; q < k; q++) {
            if (catN[q] === 0) continue;
            if (catRank[q] <= p) {
              wL += catW[q];
              sL += catS[q];
              nL += catN[q];
            } else {
              wR += catW[q];
              sR += catS[q];
            }
          }
          if (nL < minLeaf || count - nL < minLeaf) continue;
          const gain = (sL * sL) / wL + (sR * sR) / wR;
          if (gain > best) {
            best = gain;
            bestFeature = f;
            bestCats = present.slice(0, p + 1);
            bestLeftWeight = wL;
            bestCatsHoldLowest = Math.min(...bestCats) === Math.min(...present);
          }
        }
      }
    }
    if (bestFeature < 0) continue;

    feature[node] = bestFeature;
    decrease[node] = Math.max(0, best - (s * s) / w);
    const column = columns[bestFeature];
    const k = categories[bestFeature];
    if (k === 0) {
      threshold[node] = bestThreshold;
      for (let j = start; j < end; j++) {
        const i = any[j];
        toLeft[i] = column[i] <= bestThreshold ? 1 : 0;
      }
    } else {
      if (poolSize + k > goesLeft.length) {
        const grown = new Uint8Array(Math.max(2 * goesLeft.length, poolSize + k));
        grown.set(goesLeft);
        goesLeft = grown;
      }
      const offset = poolSize;
      poolSize += k;
      categoryOffset[node] = offset;
      // The side holding the lowest category present goes left, and absent categories
      // follow the heavier side (on a tie, the left): rules that do not depend on the
      // sign of the target, so negating it leaves the tree's shape unchanged.
      const prefixWeight = bestLeftWeight;
      const otherWeight = w - prefixWeight;
      const prefix = bestCatsHoldLowest ? 1 : 0;
      const leftWeight = bestCatsHoldLowest ? prefixWeight : otherWeight;
      const absentLeft = leftWeight >= w - leftWeight ? 1 : 0;
      for (let c = 0; c < k; c++) goesLeft[offset + c] = absentLeft;
      for (let j = start; j < end; j++) goesLeft[offset + column[any[j]]] = 1 - prefix;
      for (const c of bestCats) goesLeft[offset + c] = prefix;
      for (let j = start; j < end; j++) {
        const i = any[j];
        toLeft[i] = goesLeft[offset + column[i]];
      }
    }

    // Stable partition of every feature's order: left samples first.
    let nLeft = 0;
    for (let f = 0; f < d; f++) {
      const ord = order[f];
      let l = start;
      let r = 0;
      for (let j = start; j < end; j++) {
        const i = ord[j];
        if (toLeft[i] === 1) ord[l++] = i;
        else buffer[r++] = i;
      }
      for (let j = 0; j < r; j++) ord[l + j] = buffer[j];
      nLeft = l - start;
    }

    const leftNode = nodeCount++;
    const rightNode = nodeCount++;
    left[node] = leftNode;
    right[node] = rightNode;
    stackNode[top] = rightNode;
    stackStart[top] = start + nLeft;
    stackEnd[top] = end;
    stackDepth[top] = depth + 1;
    top++;
    stackNode[top] = leftNode;
    stackStart[top] = start;
    stackEnd[top] = start + nLeft;
    stackDepth[top] = depth + 1;
    top++;
  }

  return new RegressionTree(
    nodeCount,
    feature.slice(0, nodeCount),
    threshold.slice(0, nodeCount),
    left.slice(0, nodeCount),
    right.slice(0, nodeCount),
    value.slice(0, nodeCount),
    weight.slice(0, nodeCount),
    decrease.slice(0, nodeCount),
    categoryOffset.slice(0, nodeCount),
    goesLeft.slice(0, poolSize),
  );
}
