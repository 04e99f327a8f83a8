/** Input checks and label encoding shared by the clustering metrics. */
import { type Label, labelIndex, uniqueLabels } from "../labels.js";
import { checkArray } from "./checks.js";

/** One labelling as cluster codes 0 … k−1, in the sorted order of its labels (numpy's `np.unique`). */
export interface Partition {
  /** The distinct labels, sorted. */
  readonly labels: Label[];
  /** Each row's position in `labels`. */
  readonly codes: Int32Array;
  /** Rows per cluster, in the order of `labels`. */
  readonly sizes: number[];
}

/**
 * Encode `values` (numbers or strings, one type per array, as scikit-learn's
 * `LabelEncoder` needs) as a `Partition`. `name` says which argument it is in errors.
 */
export function partition(where: string, name: string, values: readonly Label[]): Partition {
  checkArray(where, name, values);
  const labels = uniqueLabels(`${where} (${name})`, values);
  const index = labelIndex(labels);
  const codes = new Int32Array(values.length);
  const sizes = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < values.length; i++) {
    const code = index.get(values[i])!;
    codes[i] = code;
    sizes[code]++;
  }
  return { labels, codes, sizes };
}
