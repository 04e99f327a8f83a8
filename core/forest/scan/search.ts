/**
 * The split search at one node, shared by the scans of its features: the node's
 * statistics under the criterion, the scratch buffers the scans reuse (allocated
 * once per grower, left zeroed by every scan), and the best split found so far.
 * Fields are plain and public so the scans, module functions over this state, keep
 * their hot loops free of calls and allocations.
 */
import type { PreparedData } from "../data.js";
import type { Criterion } from "../grow.js";

/** Values closer than this count as equal, as in scikit-learn (which splits float32 features). */
export const FEATURE_THRESHOLD = 1e-7;
/** Machine epsilon: impurities and decreases this small count as zero, as in scikit-learn. */
export const EPSILON = 2.220446049250313e-16;
const LN2 = Math.LN2;

export function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

export class SplitSearch {
  /** Number of classes; 0 for a regression target. */
  readonly classes: number;
  readonly hist: Float64Array;
  readonly binW: Float64Array;
  readonly binS: Float64Array;
  readonly binN: Int32Array;
  readonly sortKey: Float64Array;
  readonly sortRank: Int32Array;
  readonly sortRow: Int32Array;
  /** Class weights of the node. */
  readonly total: Float64Array;
  readonly leftCounts: Float64Array;
  readonly catRank: Int32Array;
  readonly present: number[] = [];

  // Per tree
  weights: Float64Array = new Float64Array(0);
  minSamplesLeaf = 1;
  entropy = false;

  // Statistics of the current node
  nodeW = 0;
  nodeS = 0;
  /** Σ of the squared class weights (classification): where Gini's running sums start. */
  nodeSumSq = 0;
  nodeImpurity = 0;
  /** The split proxy of the node itself: what a split's proxy must exceed to decrease impurity. */
  nodeProxy = 0;
  nodePure = false;

  // Best split of the current node
  bestProxy = -Infinity;
  bestFeature = -1;
  bestRank = 0;
  bestThreshold = 0;
  bestCats: number[] = [];
  bestLeftWeight = 0;
  bestCatsHoldLowest = false;

  /** `rows` is the grower's row order: each node owns a range of it. */
  constructor(
    readonly data: PreparedData,
    readonly rows: Int32Array,
  ) {
    const { n, d, maxBins, nClasses } = data;
    const outputs = Math.max(1, nClasses);
    this.classes = nClasses;
    this.hist = new Float64Array(maxBins * outputs);
    this.binW = new Float64Array(maxBins);
    this.binS = new Float64Array(maxBins);
    this.binN = new Int32Array(maxBins);
    this.sortKey = new Float64Array(n);
    this.sortRank = new Int32Array(n);
    this.sortRow = new Int32Array(n);
    this.total = new Float64Array(outputs);
    this.leftCounts = new Float64Array(outputs);
    let maxK = 0;
    for (let f = 0; f < d; f++) maxK = Math.max(maxK, data.categories[f]);
    this.catRank = new Int32Array(maxK);
  }

  startTree(weights: Float64Array, criterion: Criterion, minSamplesLeaf: number): void {
    this.weights = weights;
    this.entropy = criterion === "entropy";
    this.minSamplesLeaf = minSamplesLeaf;
  }

  /** Statistics of rows[start, end): weights, class counts or sums, impurity. */
  nodeStats(start: number, end: number): void {
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
      let sq = 0;
      for (let c = 0; c < this.classes; c++) sq += total[c] * total[c];
      this.nodeSumSq = sq;
      if (this.entropy) {
        let sumXlogX = 0;
        for (let c = 0; c < this.classes; c++) sumXlogX += xlogx(total[c]);
        // w·H (nats) = w ln w − Σ c ln c
        this.nodeProxy = sumXlogX - xlogx(w);
        this.nodeImpurity = Math.max(0, -this.nodeProxy / w / LN2);
      } else {
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

  /** Forget the previous node's best split. */
  startSearch(): void {
    this.bestProxy = -Infinity;
    this.bestFeature = -1;
  }

  /** Weighted impurity decrease of the best split: its proxy over the node's, in the criterion's units (never negative). */
  bestDecrease(): number {
    let decrease = this.bestProxy - this.nodeProxy;
    if (this.entropy) decrease /= LN2;
    if (decrease < 0) decrease = 0;
    return decrease;
  }

  /** A better numeric split: at or below `rankLow` goes left, `rankHigh` is the next value present. */
  keepBest(proxy: number, f: number, rankLow: number, rankHigh: number): void {
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
}
