/**
 * A speed fix for ml-cart, which ml-random-forest builds its trees with.
 *
 * ml-cart's `featureSplit` proposes a threshold between every pair of adjacent
 * sorted rows whose labels differ, so a feature with few distinct values (the
 * 17 grey levels of `digits`) yields hundreds of copies of the same threshold,
 * each scored in O(n). The thresholds come out sorted, so copies are adjacent;
 * keeping only the first copy leaves the best split — and so every tree —
 * unchanged (the scan keeps the first best candidate), and makes such
 * features roughly ten times faster.
 */
import { DecisionTreeClassifier } from "ml-cart";

type FeatureSplit = (this: { splitFunction?: string }, x: number[], y: number[]) => number[];

interface TreeNodePrototype {
  featureSplit: FeatureSplit;
}

let prototype: TreeNodePrototype | undefined;
let original: FeatureSplit | undefined;

/** ml-cart does not export its node class: reach its prototype through a tiny trained tree. */
function nodePrototype(): TreeNodePrototype | undefined {
  if (prototype) return prototype;
  const probe = new DecisionTreeClassifier({ minNumSamples: 1 });
  probe.train([[0], [1], [2], [3]], [0, 0, 1, 1]);
  const candidate = Object.getPrototypeOf(probe.root) as Partial<TreeNodePrototype> | null;
  if (candidate && typeof candidate.featureSplit === "function") prototype = candidate as TreeNodePrototype;
  return prototype;
}

const dedupedFeatureSplit: FeatureSplit = function (x, y) {
  // Only the "mean" split function exists in ml-cart; anything else keeps the original.
  if (this.splitFunction !== undefined && this.splitFunction !== "mean") return original!.call(this, x, y);
  const order = Array.from(x, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const thresholds: number[] = [];
  let last = Number.NaN;
  for (let k = 1; k < order.length; k++) {
    const previous = order[k - 1];
    const current = order[k];
    if (y[previous] !== y[current]) {
      const threshold = (x[previous] + x[current]) / 2;
      if (threshold !== last) thresholds.push(threshold);
      last = threshold;
    }
  }
  return thresholds;
};

/** Install the deduplicated threshold search (idempotent). */
export function useFastSplits(): void {
  const proto = nodePrototype();
  if (!proto || proto.featureSplit === dedupedFeatureSplit) return;
  original = proto.featureSplit;
  proto.featureSplit = dedupedFeatureSplit;
}

/** Restore ml-cart's own threshold search (for comparisons). */
export function useOriginalSplits(): void {
  const proto = nodePrototype();
  if (proto && original && proto.featureSplit === dedupedFeatureSplit) proto.featureSplit = original;
}
