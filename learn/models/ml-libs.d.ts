// Type declarations for the parts of ml-knn that the adapter uses (the package ships none).

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
