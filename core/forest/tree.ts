/**
 * A fitted CART tree as flat typed arrays, laid out as scikit-learn's `tree_`:
 * node 0 is the root, nodes are numbered in the order they were made (pre-order
 * for depth-first growth), and a leaf has `feature` -1 and no children.
 */
export class Tree {
  constructor(
    readonly nodeCount: number,
    /** Values per node in `value`: the number of classes, or 1 for regression. */
    readonly nOutputs: number,
    /** Split feature of each node; -1 for a leaf. */
    readonly feature: Int32Array,
    /** Numeric split: a value `<= threshold` goes left. */
    readonly threshold: Float64Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    /**
     * nodeCount × nOutputs: weighted class counts of the node's training rows
     * (classification), or their weighted mean target (regression).
     */
    readonly value: Float64Array,
    /** Weighted number of training rows in the node (bootstrap copies counted). */
    readonly weight: Float64Array,
    /** Distinct training rows in the node (scikit-learn's `n_node_samples`). */
    readonly samples: Int32Array,
    /** Impurity of the node: Gini, entropy (bits) or variance. */
    readonly impurity: Float64Array,
    /**
     * Weighted impurity decrease of the node's split:
     * weight·impurity − Σ children weight·impurity (0 for a leaf).
     */
    readonly decrease: Float64Array,
    /** Categorical split: offset into `goesLeft` of the node's category table; -1 otherwise. */
    readonly categoryOffset: Int32Array,
    /** For categorical splits: 1 where category c of the split feature goes left. */
    readonly goesLeft: Uint8Array,
  ) {}

  isLeaf(node: number): boolean {
    return this.feature[node] < 0;
  }

  /** True when a row whose split feature at `node` is `x` goes left. */
  goesLeftAt(node: number, x: number): boolean {
    const offset = this.categoryOffset[node];
    return offset < 0 ? x <= this.threshold[node] : this.goesLeft[offset + x] === 1;
  }

  /** The leaf a row (values indexed by feature) falls into. */
  apply(row: ArrayLike<number>): number {
    const { feature, threshold, left, right, categoryOffset } = this;
    let node = 0;
    for (let f = feature[0]; f >= 0; f = feature[node]) {
      const x = row[f];
      const offset = categoryOffset[node];
      const toLeft = offset < 0 ? x <= threshold[node] : this.goesLeft[offset + x] === 1;
      node = toLeft ? left[node] : right[node];
    }
    return node;
  }

  /** Regression: the leaf mean for a row. */
  predictValue(row: ArrayLike<number>): number {
    return this.value[this.apply(row) * this.nOutputs];
  }

  /** Classification: add the leaf's class shares for a row into `into` (length nOutputs), scaled by `scale`. */
  addProba(row: ArrayLike<number>, into: Float64Array | number[], scale = 1): void {
    const leaf = this.apply(row);
    const k = this.nOutputs;
    let total = 0;
    for (let c = 0; c < k; c++) total += this.value[leaf * k + c];
    const factor = scale / total;
    for (let c = 0; c < k; c++) into[c] += this.value[leaf * k + c] * factor;
  }

  /** Depth of the deepest leaf (the root alone has depth 0). */
  depth(): number {
    let deepest = 0;
    const stack: number[] = [0, 0];
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const node = stack.pop()!;
      if (depth > deepest) deepest = depth;
      if (this.feature[node] >= 0) stack.push(this.left[node], depth + 1, this.right[node], depth + 1);
    }
    return deepest;
  }

  /** Number of leaves. */
  leafCount(): number {
    let count = 0;
    for (let node = 0; node < this.nodeCount; node++) if (this.feature[node] < 0) count++;
    return count;
  }
}
