import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { labelIndex, uniqueLabels } from "../labels.js";
import { foldFromMask, requireGroups, sampleCount } from "./checks.js";
import type { Fold, SplitInput, Splitter } from "./types.js";

/** Each row is the test set once (scikit-learn's `LeaveOneOut`); n folds. */
export class LeaveOneOut implements Splitter {
  readonly description = "LeaveOneOut()";

  constructor(options: Record<string, never> = {}) {
    checkOptionKeys("LeaveOneOut", options, []);
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("LeaveOneOut", input);
    if (n <= 1) throw new ValueError(`LeaveOneOut: cannot perform leave-one-out with n=${n}; it needs at least 2 rows.`);
    return Array.from({ length: n }, (_, row) => foldFromMask((i) => i === row, n));
  }
}

/** Each group is the test set once, in sorted group order (scikit-learn's `LeaveOneGroupOut`). */
export class LeaveOneGroupOut implements Splitter {
  readonly description = "LeaveOneGroupOut()";

  constructor(options: Record<string, never> = {}) {
    checkOptionKeys("LeaveOneGroupOut", options, []);
  }

  split(input: SplitInput): Fold[] {
    const n = sampleCount("LeaveOneGroupOut", input);
    const groups = requireGroups("LeaveOneGroupOut", input);
    const unique = uniqueLabels("LeaveOneGroupOut groups", groups);
    if (unique.length <= 1) {
      throw new ValueError(
        `LeaveOneGroupOut: the groups contain fewer than 2 distinct values (${show(unique)}); leaving one group out needs at least 2.`,
      );
    }
    const index = labelIndex(unique);
    const groupOf = groups.map((g) => index.get(g)!);
    return unique.map((_, g) => foldFromMask((i) => groupOf[i] === g, n));
  }
}
