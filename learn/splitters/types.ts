import type { Label } from "../labels.js";

/** One train/test split, as row positions (0-based), each sorted ascending. */
export interface Fold {
  train: number[];
  test: number[];
}

/**
 * What a splitter splits: the row count `n`, and the class labels `y` or the
 * `groups` when the splitter needs them (`n` may be left out when either is given).
 */
export interface SplitInput {
  n?: number;
  y?: readonly Label[];
  groups?: readonly Label[];
}

/** A cross-validation scheme, scikit-learn style: `split` returns every fold at once. */
export interface Splitter {
  /** e.g. `KFold(nSplits=5, shuffle=true, seed=0)`, for logs and trial attributes. */
  readonly description: string;
  split(input: SplitInput): Fold[];
}
