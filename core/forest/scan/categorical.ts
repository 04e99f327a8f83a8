/**
 * Split scan of a categorical feature (regression only): the categories present in
 * the node are ordered by mean target and split as a prefix of that order, the
 * optimal partition for squared error (Breiman et al. 1984, §9.4).
 */
import type { SplitSearch } from "./search.js";

export function scanCategorical(search: SplitSearch, f: number, start: number, end: number): boolean {
  const { rows, weights, binW, binS, binN, catRank, present } = search;
  const y = search.data.yValue;
  const rank = search.data.rank[f];
  const k = search.data.categories[f];
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
  const minLeaf = search.minSamplesLeaf;
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
    if (proxy > search.bestProxy) {
      search.bestProxy = proxy;
      search.bestFeature = f;
      search.bestCats = present.slice(0, p + 1);
      search.bestLeftWeight = wL;
      search.bestCatsHoldLowest = Math.min(...search.bestCats) === present.reduce((a, b) => Math.min(a, b));
    }
  }
  binW.fill(0, 0, k);
  binS.fill(0, 0, k);
  binN.fill(0, 0, k);
  return true;
}
