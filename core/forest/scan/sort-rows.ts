import { FEATURE_THRESHOLD, type SplitSearch } from "./search.js";

/** Below this many rows, ranks are sorted by insertion. */
const INSERTION_SORT = 24;

/**
 * Sort the node's rows by their rank of feature f into sortRank / sortRow [0, count);
 * false when the feature is constant in the node, so there is nothing to scan.
 */
export function sortRows(search: SplitSearch, f: number, start: number, end: number): boolean {
  const { rows, sortRank, sortRow, sortKey } = search;
  const rank = search.data.rank[f];
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
    return varies(search, f, count);
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
  return varies(search, f, count);
}

function varies(search: SplitSearch, f: number, count: number): boolean {
  const { sortRank } = search;
  const values = search.data.values[f];
  return values[sortRank[count - 1]] > values[sortRank[0]] + FEATURE_THRESHOLD;
}
