/**
 * The q-quantile (q in [0, 1]) of values sorted in ascending order, interpolating
 * linearly between order statistics (numpy's and pandas' default, "linear"); NaN for
 * no values. Like numpy, it interpolates from the nearer end, so the result is exact at
 * the order statistics themselves and never leaves the interval between them.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = position - below;
  const a = sorted[below];
  const b = sorted[above];
  if (a === b) return a;
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}
