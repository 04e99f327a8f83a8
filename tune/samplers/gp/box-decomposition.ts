/**
 * The region a new point can still improve, cut into boxes: everything above the
 * reference point that no point of the front dominates. Here every objective is
 * MAXIMISED (the GP's convention), so a box is [lower, upper] with upper possibly +∞.
 *
 * The hypervolume improvement of a point y is then a sum of independent products,
 *   HVI(y) = Σ_k Π_j (min(y_j, upper_kj) − lower_kj)₊,
 * which is what makes the expected improvement under independent GPs exact (ehvi.ts).
 *
 * Two objectives: the staircase of the sorted front gives one strip per step. More: sweep
 * the last objective from the top down, adding the points one level at a time, and cut
 * each slab between two levels with the decomposition of the points above it in one
 * objective fewer; a box that stays the same from one slab to the next is extended
 * instead of cut again, so three objectives give O(n) boxes.
 */

export interface Boxes {
  readonly count: number;
  readonly objectives: number;
  /** Row-major, `count` rows of `objectives` values. */
  readonly lower: Float64Array;
  /** Row-major like `lower`; +Infinity where a box is unbounded. */
  readonly upper: Float64Array;
}

type Box = { lower: number[]; upper: number[] };

/**
 * Disjoint boxes covering the part of [reference, ∞) that no point of `points` dominates
 * (maximisation). Points not strictly above the reference in every objective are ignored,
 * and so are dominated ones and copies.
 */
export function nonDominatedBoxes(points: readonly (readonly number[])[], reference: readonly number[]): Boxes {
  const objectives = reference.length;
  const inside = points.filter((p) => p.every((v, j) => v > reference[j]));
  const boxes = decompose(inside, reference);
  const lower = new Float64Array(boxes.length * objectives);
  const upper = new Float64Array(boxes.length * objectives);
  boxes.forEach((box, k) => {
    lower.set(box.lower, k * objectives);
    upper.set(box.upper, k * objectives);
  });
  return { count: boxes.length, objectives, lower, upper };
}

function decompose(points: readonly (readonly number[])[], reference: readonly number[]): Box[] {
  const m = reference.length;
  if (m === 1) {
    let top = reference[0];
    for (const p of points) top = Math.max(top, p[0]);
    return [{ lower: [top], upper: [Infinity] }];
  }
  if (m === 2) return strips(points, reference);
  return sweep(points, reference);
}

/**
 * The staircase: the front sorted by the first objective ascending (so the second
 * descends), p_1..p_k. Strip i spans the first objective from p_i (the reference for i = 0)
 * to p_{i+1} (+∞ for i = k), and the second from p_{i+1}'s (the reference's for i = k) up.
 */
function strips(points: readonly (readonly number[])[], reference: readonly number[]): Box[] {
  const sorted = [...points].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  // Best first in the first objective: a point is on the front when it beats every earlier one in the second.
  const front: (readonly number[])[] = [];
  for (const p of sorted) if (front.length === 0 || p[1] > front[front.length - 1][1]) front.push(p);
  front.reverse();
  const boxes: Box[] = [];
  let left = reference[0];
  for (const p of front) {
    boxes.push({ lower: [left, p[1]], upper: [p[0], Infinity] });
    left = p[0];
  }
  boxes.push({ lower: [left, reference[1]], upper: [Infinity, Infinity] });
  return boxes;
}

/** Three or more objectives: slabs of the last objective, each cut in one objective fewer, unchanged boxes merged across slabs. */
function sweep(points: readonly (readonly number[])[], reference: readonly number[]): Box[] {
  const last = reference.length - 1;
  const head = reference.slice(0, last);
  const levels = [...new Set(points.map((p) => p[last]))].sort((a, b) => b - a);
  const boxes: Box[] = [];
  // Boxes of the current slab's cross-section, by key, with the top of their slab.
  let open = new Map<string, { box: Box; top: number }>();
  const openSection = (section: Box[], top: number) => {
    const next = new Map<string, { box: Box; top: number }>();
    for (const box of section) {
      const key = `${box.lower.join(",")}|${box.upper.join(",")}`;
      next.set(key, open.get(key) ?? { box, top });
    }
    return next;
  };
  const close = (still: Map<string, unknown>, bottom: number) => {
    for (const [key, { box, top }] of open) {
      if (still.has(key) || !(top > bottom)) continue;
      boxes.push({ lower: [...box.lower, bottom], upper: [...box.upper, top] });
    }
  };
  open = openSection(decompose([], head), Infinity);
  // The projections of the points above the current level that no other one dominates:
  // a dominated projection covers nothing more, in this slab or any lower one.
  let above: number[][] = [];
  for (const level of levels) {
    for (const p of points) {
      if (p[last] !== level) continue;
      const projection = p.slice(0, last);
      if (above.some((q) => weaklyDominates(q, projection))) continue;
      above = above.filter((q) => !weaklyDominates(projection, q));
      above.push(projection);
    }
    const next = openSection(decompose(above, head), level);
    close(next, level);
    open = next;
  }
  close(new Map(), reference[last]);
  return boxes;
}

/** Whether `a` is at least as good as `b` (maximised) in every objective. */
function weaklyDominates(a: readonly number[], b: readonly number[]): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] < b[j]) return false;
  return true;
}
