/**
 * Split scans for a classification target (Gini or entropy) on a numeric feature.
 * Gini's proxy Σc²/w per side is updated in O(1) per class moved left; entropy's
 * is summed over the classes at each candidate.
 */
import { FEATURE_THRESHOLD, type SplitSearch, xlogx } from "./search.js";
import { sortRows } from "./sort-rows.js";

/** One pass gathering class weights per rank, then a scan over the ranks present. */
export function scanClassesHistogram(search: SplitSearch, f: number, start: number, end: number): boolean {
  const { rows, weights, hist, binW, binN, leftCounts, total } = search;
  const K = search.classes;
  const y = search.data.yClass;
  const rank = search.data.rank[f];
  const values = search.data.values[f];
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
  const minLeaf = search.minSamplesLeaf;
  const w = search.nodeW;
  const entropy = search.entropy;
  leftCounts.fill(0);
  let sqL = 0;
  let sqR = search.nodeSumSq;
  let wL = 0;
  let nL = 0;
  let prev = -1;
  let best = search.bestProxy;
  for (let r = minR; r <= maxR; r++) {
    const nr = binN[r];
    if (nr === 0) continue;
    if (prev >= 0 && values[r] > values[prev] + FEATURE_THRESHOLD && nL >= minLeaf && count - nL >= minLeaf) {
      const wR = w - wL;
      const proxy = entropy ? entropyProxy(search, wL, wR) : sqL / wL + sqR / wR;
      if (proxy > best) {
        best = proxy;
        search.keepBest(proxy, f, prev, r);
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

/** The node's rows sorted by rank, then scanned row by row. */
export function scanClassesSorted(search: SplitSearch, f: number, start: number, end: number): boolean {
  const values = search.data.values[f];
  const count = end - start;
  if (!sortRows(search, f, start, end)) return false;
  const { sortRank, sortRow, weights, leftCounts, total } = search;
  const y = search.data.yClass;
  const minLeaf = search.minSamplesLeaf;
  const w = search.nodeW;
  const entropy = search.entropy;
  leftCounts.fill(0);
  let sqL = 0;
  let sqR = search.nodeSumSq;
  let wL = 0;
  let best = search.bestProxy;
  for (let q = 0; q < count; q++) {
    const r = sortRank[q];
    if (q > 0) {
      const prev = sortRank[q - 1];
      if (r !== prev && values[r] > values[prev] + FEATURE_THRESHOLD && q >= minLeaf && count - q >= minLeaf) {
        const wR = w - wL;
        const proxy = entropy ? entropyProxy(search, wL, wR) : sqL / wL + sqR / wR;
        if (proxy > best) {
          best = proxy;
          search.keepBest(proxy, f, prev, r);
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

/** Entropy proxy with the current left counts: −w·H of each side (nats), summed. */
function entropyProxy(search: SplitSearch, wL: number, wR: number): number {
  const { leftCounts, total } = search;
  let s = 0;
  for (let c = 0; c < search.classes; c++) s += xlogx(leftCounts[c]) + xlogx(total[c] - leftCounts[c]);
  return s - xlogx(wL) - xlogx(wR);
}
