/** Split scans for a regression target (squared error) on a numeric feature: proxy Σs²/w per side. */
import { FEATURE_THRESHOLD, type SplitSearch } from "./search.js";
import { sortRows } from "./sort-rows.js";

/** One pass gathering weights and target sums per rank, then a scan over the ranks present. */
export function scanValuesHistogram(search: SplitSearch, f: number, start: number, end: number): boolean {
  const { rows, weights, binW, binS, binN } = search;
  const y = search.data.yValue;
  const rank = search.data.rank[f];
  const values = search.data.values[f];
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
  const minLeaf = search.minSamplesLeaf;
  const w = search.nodeW;
  const s = search.nodeS;
  let wL = 0;
  let sL = 0;
  let nL = 0;
  let prev = -1;
  let best = search.bestProxy;
  for (let r = minR; r <= maxR; r++) {
    const nr = binN[r];
    if (nr === 0) continue;
    if (prev >= 0 && values[r] > values[prev] + FEATURE_THRESHOLD && nL >= minLeaf && count - nL >= minLeaf) {
      const sR = s - sL;
      const proxy = (sL * sL) / wL + (sR * sR) / (w - wL);
      if (proxy > best) {
        best = proxy;
        search.keepBest(proxy, f, prev, r);
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

/** The node's rows sorted by rank, then scanned row by row. */
export function scanValuesSorted(search: SplitSearch, f: number, start: number, end: number): boolean {
  const values = search.data.values[f];
  const count = end - start;
  if (!sortRows(search, f, start, end)) return false;
  const { sortRank, sortRow, weights } = search;
  const y = search.data.yValue;
  const minLeaf = search.minSamplesLeaf;
  const w = search.nodeW;
  const s = search.nodeS;
  let wL = 0;
  let sL = 0;
  let best = search.bestProxy;
  for (let q = 0; q < count; q++) {
    const r = sortRank[q];
    if (q > 0) {
      const prev = sortRank[q - 1];
      if (r !== prev && values[r] > values[prev] + FEATURE_THRESHOLD && q >= minLeaf && count - q >= minLeaf) {
        const sR = s - sL;
        const proxy = (sL * sL) / wL + (sR * sR) / (w - wL);
        if (proxy > best) {
          best = proxy;
          search.keepBest(proxy, f, prev, r);
        }
      }
    }
    const i = sortRow[q];
    wL += weights[i];
    sL += weights[i] * y[i];
  }
  return true;
}
