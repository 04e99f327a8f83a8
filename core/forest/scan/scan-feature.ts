/**
 * Which scan looks at a feature. A node whose rows outnumber a numeric feature's
 * distinct values gathers a histogram over the ranks (one pass, no sort); a small
 * node sorts its rows' ranks instead. Both scan the same candidate thresholds, so
 * the choice between them changes speed, never the tree.
 */
import { scanCategorical } from "./categorical.js";
import { scanClassesHistogram, scanClassesSorted } from "./classification.js";
import { scanValuesHistogram, scanValuesSorted } from "./regression.js";
import type { SplitSearch } from "./search.js";

/** A node sorts its rows' ranks when a feature has more than this many distinct values per row. */
const HISTOGRAM_RATIO = 2;

/** Scan one feature for the node's best split; false when it is constant in the node. */
export function scanFeature(search: SplitSearch, f: number, start: number, end: number): boolean {
  const { data } = search;
  if (data.categories[f] > 0) return scanCategorical(search, f, start, end);
  const useHistogram = data.values[f].length <= HISTOGRAM_RATIO * (end - start);
  if (search.classes > 0) return useHistogram ? scanClassesHistogram(search, f, start, end) : scanClassesSorted(search, f, start, end);
  return useHistogram ? scanValuesHistogram(search, f, start, end) : scanValuesSorted(search, f, start, end);
}
