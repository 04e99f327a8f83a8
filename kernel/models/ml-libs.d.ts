// Type declarations for the parts of ml-cart and ml-knn that the adapters use
// (neither package ships its own).

declare module "ml-cart" {
  export interface DecisionTreeOptions {
    gainFunction?: "gini" | "regression";
    splitFunction?: "mean";
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }
  export class DecisionTreeClassifier {
    constructor(options?: DecisionTreeOptions);
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
    root: TreeNode;
  }
  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeOptions);
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  }
  export interface TreeNode {
    /** Leaf class distribution (a 1-row ml-matrix) for classifiers. */
    classify(row: number[]): { to1DArray(): number[] } | number;
  }
}

declare module "ml-knn" {
  interface KDTree {
    /** The `k` nearest stored points (features then label) with their distances, in no particular order. */
    nearest(point: number[], k: number): [number[], number][];
  }
  export default class KNN {
    constructor(dataset: number[][], labels: number[], options?: { k?: number; distance?: (a: number[], b: number[]) => number });
    k: number;
    kdTree: KDTree;
    predict(dataset: number[][]): number[];
  }
}
