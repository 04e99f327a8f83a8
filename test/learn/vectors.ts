/** scikit-learn's reference outputs, shared with the Python peers. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface SplitVector {
  splitter: string;
  args: Record<string, number>;
  n?: number;
  y?: (number | string)[];
  groups?: (number | string)[];
  folds: { train: number[]; test: number[] }[];
}

export interface MetricVector {
  metric: string;
  args?: Record<string, string>;
  inputs: { y_true: (number | string)[]; y_pred?: (number | string)[]; y_score?: number[] | number[][] };
  value: number;
}

// scikit-learn 1.2's outputs on fixed inputs, bundled so a fresh clone tests on its own.
const path = process.env.TUNEBOOK_SKLEARN_VECTORS ?? fileURLToPath(new URL("./fixtures/sklearn-vectors.json", import.meta.url));

export const sklearnVectors = JSON.parse(readFileSync(path, "utf8")) as {
  splits: SplitVector[];
  metrics: MetricVector[];
};

/** Extra reference outputs made by fixtures/make_sklearn_extra.py (scikit-learn 1.2). */
export function extraVectors<T>(name: string): T {
  const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
