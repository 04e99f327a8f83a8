import type { Tree } from "../../../core/forest/index.js";

/**
 * Functional ANOVA of one regression tree (Hutter, Hoos & Leyton-Brown 2014).
 *
 * A tree is a piecewise-constant function over the search space: each leaf owns a
 * box. Under the uniform measure on the space, the marginal of feature f at x is
 * the average prediction over all other features with f fixed at x:
 *
 *   a_f(x) = Σ_{leaves L whose box contains x in dim f} v_L · Π_{j≠f} |L_j| / |S_j|
 *
 * which is constant between consecutive box edges along f, so it is computed
 * exactly by one sweep over the leaves (no tree traversal per grid point). The
 * importance of f in this tree is Var(a_f) / Var(tree), both under the uniform measure.
 */

/** The search space in model coordinates: bounds of numeric features, category counts of categorical ones. */
export interface FanovaSpace {
  low: Float64Array;
  high: Float64Array;
  /** 0 for a numeric feature. */
  categories: Int32Array;
}

export interface TreeDecomposition {
  /** Variance of the tree's prediction over the space. */
  variance: number;
  /** Variance of each feature's main-effect marginal (same units as `variance`). */
  marginalVariance: Float64Array;
}

interface Leaves {
  count: number;
  value: Float64Array;
  /** count × d: low and high edge of each leaf's box per numeric feature. */
  lo: Float64Array;
  hi: Float64Array;
  /** count × d: fraction of feature j's range the box covers. */
  fraction: Float64Array;
  /** count × Σk: category membership of each leaf's box. */
  member: Uint8Array;
}

function collectLeaves(tree: Tree, space: FanovaSpace, catOffsets: Int32Array, catTotal: number): Leaves {
  const d = space.low.length;
  const leafCount = (tree.nodeCount + 1) / 2;
  const leaves: Leaves = {
    count: 0,
    value: new Float64Array(leafCount),
    lo: new Float64Array(leafCount * d),
    hi: new Float64Array(leafCount * d),
    fraction: new Float64Array(leafCount * d),
    member: new Uint8Array(leafCount * catTotal),
  };
  // One box, narrowed on the way down and restored on the way back (no allocation per node).
  const lo = Float64Array.from(space.low);
  const hi = Float64Array.from(space.high);
  const member = new Uint8Array(catTotal).fill(1);
  const inside = new Int32Array(d);
  for (let j = 0; j < d; j++) inside[j] = space.categories[j];

  // Stack entries: a node to visit (kind 0) or a change of the box to make once the
  // subtree above it on the stack is done (kinds 1-4, below).
  const kind: number[] = [0];
  const a: number[] = [0];
  const b: number[] = [0];
  const c: number[] = [0];
  while (kind.length > 0) {
    const k0 = kind.pop()!;
    const a0 = a.pop()!;
    const b0 = b.pop()!;
    const c0 = c.pop()!;
    if (k0 === 1) {
      // a0: feature, b0: 0 = lo / 1 = hi, c0: previous value
      if (b0 === 0) lo[a0] = c0;
      else hi[a0] = c0;
      continue;
    }
    if (k0 === 2) {
      // a0: feature, b0: category slot, put back into the box
      member[b0] = 1;
      inside[a0]++;
      continue;
    }
    if (k0 === 3) {
      // a0: feature, c0: the split threshold, now the low bound (entering the right subtree)
      lo[a0] = c0;
      continue;
    }
    if (k0 === 4) {
      // a0: feature, b0: category slot, taken out of the box (entering the right subtree)
      member[b0] = 0;
      inside[a0]--;
      continue;
    }
    const node = a0;
    const f = tree.feature[node];
    if (f < 0) {
      const L = leaves.count++;
      leaves.value[L] = tree.value[node];
      leaves.lo.set(lo, L * d);
      leaves.hi.set(hi, L * d);
      leaves.member.set(member, L * catTotal);
      for (let j = 0; j < d; j++) {
        const k = space.categories[j];
        if (k === 0) {
          const width = space.high[j] - space.low[j];
          leaves.fraction[L * d + j] = width > 0 ? (hi[j] - lo[j]) / width : 1;
        } else leaves.fraction[L * d + j] = inside[j] / k;
      }
      continue;
    }
    const push = (k1: number, a1: number, b1: number, c1: number) => {
      kind.push(k1);
      a.push(a1);
      b.push(b1);
      c.push(c1);
    };
    const k = space.categories[f];
    if (k === 0) {
      // Thresholds outside the space (values stored beyond the bounds) are clamped into it.
      const t = Math.min(Math.max(tree.threshold[node], lo[f]), hi[f]);
      // Visited in stack order: left subtree, restore hi, set lo, right subtree, restore lo.
      push(1, f, 0, lo[f]);
      push(0, tree.right[node], 0, 0);
      push(3, f, 0, t);
      push(1, f, 1, hi[f]);
      push(0, tree.left[node], 0, 0);
      hi[f] = t;
    } else {
      const offset = tree.categoryOffset[node];
      const base = catOffsets[f];
      // Right subtree: remove the categories going left; restore them after.
      for (let q = 0; q < k; q++) if (tree.goesLeft[offset + q] === 1 && member[base + q] === 1) push(2, f, base + q, 0);
      push(0, tree.right[node], 0, 0);
      for (let q = 0; q < k; q++) if (tree.goesLeft[offset + q] === 1 && member[base + q] === 1) push(4, f, base + q, 0);
      // Left subtree: remove the categories going right; restore them after.
      for (let q = 0; q < k; q++) if (tree.goesLeft[offset + q] === 0 && member[base + q] === 1) push(2, f, base + q, 0);
      push(0, tree.left[node], 0, 0);
      for (let q = 0; q < k; q++) {
        if (tree.goesLeft[offset + q] === 0 && member[base + q] === 1) {
          member[base + q] = 0;
          inside[f]--;
        }
      }
    }
  }
  return leaves;
}

/** Variance decomposition of one tree: its total variance and each feature's main-effect variance. */
export function decomposeTree(tree: Tree, space: FanovaSpace): TreeDecomposition {
  const d = space.low.length;
  const catOffsets = new Int32Array(d);
  let catTotal = 0;
  for (let j = 0; j < d; j++) {
    catOffsets[j] = catTotal;
    catTotal += space.categories[j];
  }
  const marginalVariance = new Float64Array(d);
  if (tree.nodeCount === 1) return { variance: 0, marginalVariance };

  const leaves = collectLeaves(tree, space, catOffsets, catTotal);
  const n = leaves.count;
  const volume = new Float64Array(n);
  let mean = 0;
  for (let L = 0; L < n; L++) {
    let v = 1;
    for (let j = 0; j < d; j++) v *= leaves.fraction[L * d + j];
    volume[L] = v;
    mean += v * leaves.value[L];
  }
  let variance = 0;
  for (let L = 0; L < n; L++) variance += volume[L] * (leaves.value[L] - mean) ** 2;

  const splitCount = new Int32Array(d);
  for (let node = 0; node < tree.nodeCount; node++) if (tree.feature[node] >= 0) splitCount[tree.feature[node]]++;

  // rest[L] = Π_{j≠f} fraction: the weight of leaf L in the marginal of f, from
  // prefix and suffix products (no division, so a zero-width box is harmless).
  const prefix = new Float64Array(n * (d + 1));
  const suffix = new Float64Array(n * (d + 1));
  for (let L = 0; L < n; L++) {
    const base = L * (d + 1);
    prefix[base] = 1;
    for (let j = 0; j < d; j++) prefix[base + j + 1] = prefix[base + j] * leaves.fraction[L * d + j];
    suffix[base + d] = 1;
    for (let j = d - 1; j >= 0; j--) suffix[base + j] = suffix[base + j + 1] * leaves.fraction[L * d + j];
  }
  const rest = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    if (splitCount[f] === 0) continue; // the tree is constant along f: no main effect
    for (let L = 0; L < n; L++) rest[L] = prefix[L * (d + 1) + f] * suffix[L * (d + 1) + f + 1];
    const k = space.categories[f];
    let v = 0;
    if (k === 0) {
      // Every box edge along f is a bound or a split threshold on f (clamped into the bounds).
      const edges = new Float64Array(splitCount[f] + 2);
      let e = 0;
      edges[e++] = space.low[f];
      edges[e++] = space.high[f];
      for (let node = 0; node < tree.nodeCount; node++) {
        if (tree.feature[node] === f) edges[e++] = Math.min(Math.max(tree.threshold[node], space.low[f]), space.high[f]);
      }
      edges.sort();
      let u = 1;
      for (let i = 1; i < edges.length; i++) if (edges[i] !== edges[u - 1]) edges[u++] = edges[i];
      const unique = edges.subarray(0, u);
      const step = new Float64Array(u);
      for (let L = 0; L < n; L++) {
        const contribution = (leaves.value[L] - mean) * rest[L];
        step[search(unique, leaves.lo[L * d + f])] += contribution;
        step[search(unique, leaves.hi[L * d + f])] -= contribution;
      }
      const width = space.high[f] - space.low[f];
      let a = 0;
      for (let i = 0; i < u - 1; i++) {
        a += step[i];
        v += ((unique[i + 1] - unique[i]) / width) * a * a;
      }
    } else {
      const a = new Float64Array(k);
      for (let L = 0; L < n; L++) {
        const contribution = (leaves.value[L] - mean) * rest[L];
        const base = L * catTotal + catOffsets[f];
        for (let c = 0; c < k; c++) if (leaves.member[base + c] === 1) a[c] += contribution;
      }
      for (let c = 0; c < k; c++) v += (a[c] * a[c]) / k;
    }
    marginalVariance[f] = v;
  }
  return { variance, marginalVariance };
}

/** Index of `x` in the sorted unique `edges` (x is one of them). */
function search(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
