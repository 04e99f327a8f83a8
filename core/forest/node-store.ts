import { Tree } from "./tree.js";

/** Growable per-node arrays of one tree. */
export class NodeStore {
  count = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  weight: Float64Array;
  samples: Int32Array;
  impurity: Float64Array;
  decrease: Float64Array;
  categoryOffset: Int32Array;
  goesLeft: Uint8Array;
  poolSize = 0;

  constructor(
    private capacity: number,
    private readonly outputs: number,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity * outputs);
    this.weight = new Float64Array(capacity);
    this.samples = new Int32Array(capacity);
    this.impurity = new Float64Array(capacity);
    this.decrease = new Float64Array(capacity);
    this.categoryOffset = new Int32Array(capacity);
    this.goesLeft = new Uint8Array(0);
  }

  /** A new leaf hanging from `parent` (-1 for the root). */
  add(parent: number, isLeft: boolean): number {
    if (this.count === this.capacity) this.grow();
    const node = this.count++;
    this.feature[node] = -1;
    this.left[node] = -1;
    this.right[node] = -1;
    this.categoryOffset[node] = -1;
    if (parent >= 0) {
      if (isLeft) this.left[parent] = node;
      else this.right[parent] = node;
    }
    return node;
  }

  /** Room for a category table of k entries; returns its offset. */
  table(k: number): number {
    if (this.poolSize + k > this.goesLeft.length) {
      const grown = new Uint8Array(Math.max(64, 2 * this.goesLeft.length, this.poolSize + k));
      grown.set(this.goesLeft);
      this.goesLeft = grown;
    }
    const offset = this.poolSize;
    this.poolSize += k;
    return offset;
  }

  private grow(): void {
    const capacity = 2 * this.capacity;
    const widen = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T, per = 1): T => {
      const b = make(capacity * per);
      b.set(a);
      return b;
    };
    const i32 = (n: number) => new Int32Array(n);
    const f64 = (n: number) => new Float64Array(n);
    this.feature = widen(this.feature, i32);
    this.threshold = widen(this.threshold, f64);
    this.left = widen(this.left, i32);
    this.right = widen(this.right, i32);
    this.value = widen(this.value, f64, this.outputs);
    this.weight = widen(this.weight, f64);
    this.samples = widen(this.samples, i32);
    this.impurity = widen(this.impurity, f64);
    this.decrease = widen(this.decrease, f64);
    this.categoryOffset = widen(this.categoryOffset, i32);
    this.capacity = capacity;
  }

  toTree(): Tree {
    const n = this.count;
    return new Tree(
      n,
      this.outputs,
      this.feature.slice(0, n),
      this.threshold.slice(0, n),
      this.left.slice(0, n),
      this.right.slice(0, n),
      this.value.slice(0, n * this.outputs),
      this.weight.slice(0, n),
      this.samples.slice(0, n),
      this.impurity.slice(0, n),
      this.decrease.slice(0, n),
      this.categoryOffset.slice(0, n),
      this.goesLeft.slice(0, this.poolSize),
    );
  }
}
