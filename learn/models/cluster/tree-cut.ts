/**
 * Flat clusters from a merge tree, as scikit-learn's `_hc_cut` finds them: undo the
 * last merges one by one, always splitting the newest node left, and number the
 * clusters in the order Python's `heapq` leaves them in its heap.
 */

/** CPython's `heapq._siftdown`: move heap[pos] up towards `start` while it is smaller than its parent. */
function siftDown(heap: number[], start: number, pos: number): void {
  const item = heap[pos];
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    if (!(item < heap[parentPos])) break;
    heap[pos] = heap[parentPos];
    pos = parentPos;
  }
  heap[pos] = item;
}

/** CPython's `heapq._siftup`: move the smaller child up until a leaf, then sift the item down into place. */
function siftUp(heap: number[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const item = heap[pos];
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child] < heap[right])) child = right;
    heap[pos] = heap[child];
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, start, pos);
}

function heapPush(heap: number[], item: number): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1);
}

function heapPushPop(heap: number[], item: number): void {
  if (heap.length > 0 && heap[0] < item) {
    heap[0] = item;
    siftUp(heap, 0);
  }
}

/** The cluster number (0 … nClusters−1) of each of the `nLeaves` rows. */
export function cutTree(nClusters: number, children: readonly (readonly [number, number])[], nLeaves: number): number[] {
  const root = children[children.length - 1];
  // Negated node ids: the heap's smallest entry is the newest node.
  const heap = [-(Math.max(root[0], root[1]) + 1)];
  for (let c = 1; c < nClusters; c++) {
    const [left, right] = children[-heap[0] - nLeaves];
    heapPush(heap, -left);
    heapPushPop(heap, -right);
  }
  const labels = new Array<number>(nLeaves).fill(0);
  heap.forEach((negated, cluster) => {
    const stack = [-negated];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node < nLeaves) labels[node] = cluster;
      else stack.push(...children[node - nLeaves]);
    }
  });
  return labels;
}
