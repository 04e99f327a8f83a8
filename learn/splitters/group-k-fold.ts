import { checkOptionKeys, ValueError } from "../../core/errors.js";
import { labelIndex, uniqueLabels } from "../labels.js";
import { checkNSplits, describe, foldsFromAssignment, requireGroups, sampleCount } from "./checks.js";
import type { Fold, SplitInput, Splitter } from "./types.js";

export interface GroupKFoldOptions {
  /** Number of folds, at least 2 and at most the number of distinct groups. Default 5. */
  nSplits?: number;
}

/**
 * k folds that never split a group (scikit-learn's `GroupKFold`): groups are
 * taken from the largest to the smallest and each goes to the fold with the
 * fewest rows so far (the first such fold on a tie). Groups of equal size are
 * taken in reverse order of their sorted labels, which is what numpy's
 * `argsort(...)[::-1]` does for up to 16 groups.
 */
export class GroupKFold implements Splitter {
  readonly nSplits: number;

  constructor(options: GroupKFoldOptions = {}) {
    checkOptionKeys("GroupKFold", options, ["nSplits"]);
    this.nSplits = checkNSplits("GroupKFold", options.nSplits ?? 5);
  }

  get description(): string {
    return describe("GroupKFold", { nSplits: this.nSplits });
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("GroupKFold", input);
    const groups = requireGroups("GroupKFold", input);
    const unique = uniqueLabels("GroupKFold groups", groups);
    if (this.nSplits > unique.length) {
      throw new ValueError(
        `GroupKFold: cannot have number of splits nSplits=${this.nSplits} greater than the number of groups: ` +
          `${unique.length}. Use nSplits <= ${unique.length}.`,
      );
    }
    const index = labelIndex(unique);
    const groupOf = groups.map((g) => index.get(g)!);
    const sizes = new Array<number>(unique.length).fill(0);
    for (const g of groupOf) sizes[g]++;
    // Largest first; equal sizes: higher group position first.
    const order = unique.map((_, g) => g).sort((a, b) => sizes[b] - sizes[a] || b - a);
    const foldRows = new Array<number>(this.nSplits).fill(0);
    const foldOfGroup = new Int32Array(unique.length);
    for (const g of order) {
      let lightest = 0;
      for (let f = 1; f < this.nSplits; f++) if (foldRows[f] < foldRows[lightest]) lightest = f;
      foldRows[lightest] += sizes[g];
      foldOfGroup[g] = lightest;
    }
    const foldOf = new Int32Array(n);
    for (let i = 0; i < n; i++) foldOf[i] = foldOfGroup[groupOf[i]];
    return foldsFromAssignment(foldOf, this.nSplits);
  }
}
