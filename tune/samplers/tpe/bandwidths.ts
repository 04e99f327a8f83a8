/**
 * How wide each numeric kernel of a Parzen estimator is: from the gaps to its
 * neighbouring observations (one parameter) or one shared width per parameter (Optuna's
 * rule for joint estimators), then held within the magic clip's floor and the range.
 */

export interface BandwidthOptions {
  considerMagicClip: boolean;
  /**
   * With the magic clip, every kernel is at least range · max(0.01, (1 + kernels)^−exponent)
   * wide. Optuna 3.1 uses 1 (range / min(100, 1 + kernels)).
   */
  magicClipExponent: number;
  considerEndpoints: boolean;
}

/** Scale of the shared bandwidth (Optuna's SIGMA0_MAGNITUDE). */
const SIGMA0_MAGNITUDE = 0.2;
const EPS = 1e-12;
/** The magic clip never lets a kernel narrow below this share of the range (Optuna's 1/100). */
const MIN_BANDWIDTH_FACTOR = 0.01;

/**
 * The shared bandwidth as a share of the range, 0.2 · n^(−1/(d+4)) for n observations of
 * d parameters modelled jointly (Optuna 3.1's rule, Scott's rule in spirit).
 */
export function sharedBandwidthShare(n: number, dimensions: number): number {
  return SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (dimensions + 4));
}

/**
 * The bandwidths of kernels centred at `mus` over [low, high], the last one the prior
 * kernel when `considerPrior`: `sharedShare` · range for all when given, else each
 * kernel's neighbour gap; then clipped to [magic-clip floor, range], the prior as wide
 * as the range.
 */
export function numericBandwidths(
  mus: Float64Array,
  low: number,
  high: number,
  considerPrior: boolean,
  options: BandwidthOptions,
  sharedShare: number | null,
): Float64Array {
  const m = mus.length;
  const width = high - low;
  const sigmas = new Float64Array(m);
  if (sharedShare !== null) {
    sigmas.fill(sharedShare * width);
  } else {
    neighbourBandwidths(mus, low, high, options.considerEndpoints, sigmas);
  }
  const minSigma = options.considerMagicClip ? width * Math.max(MIN_BANDWIDTH_FACTOR, (1 + m) ** -options.magicClipExponent) : EPS;
  for (let i = 0; i < m; i++) sigmas[i] = Math.min(width, Math.max(minSigma, sigmas[i]));
  if (considerPrior) sigmas[m - 1] = width;
  return sigmas;
}

/**
 * Each kernel is as wide as the larger gap to its sorted neighbours (the bounds
 * count as neighbours); without `considerEndpoints`, the outermost kernels use
 * their inner gap only, so a point near a bound is not made needlessly narrow or wide.
 */
function neighbourBandwidths(mus: Float64Array, low: number, high: number, considerEndpoints: boolean, out: Float64Array): void {
  const m = mus.length;
  const order = sortedOrder(mus, low, high);
  const sorted = new Float64Array(m + 2);
  sorted[0] = low;
  for (let r = 0; r < m; r++) sorted[r + 1] = mus[order[r]];
  sorted[m + 1] = high;
  for (let r = 1; r <= m; r++) {
    let sigma = Math.max(sorted[r] - sorted[r - 1], sorted[r + 1] - sorted[r]);
    if (!considerEndpoints && m >= 2) {
      if (r === 1) sigma = sorted[2] - sorted[1];
      else if (r === m) sigma = sorted[m] - sorted[m - 1];
    }
    out[order[r - 1]] = sigma;
  }
}

const INDEX_BITS = 2 ** 20;
const VALUE_LEVELS = 2 ** 33;

/**
 * Indices of `values` (all in [low, high]) in ascending order, ties in index order.
 * Each value's position on a 2^33-level grid and its index are packed into one double,
 * so a native numeric sort does the work (several times faster than sorting indices
 * with a comparator); values closer than (high − low)·2^-33 may swap, which changes no
 * bandwidth by more than that.
 */
function sortedOrder(values: Float64Array, low: number, high: number): Uint32Array {
  const n = values.length;
  const order = new Uint32Array(n);
  if (n >= INDEX_BITS || !(high > low)) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => values[a] - values[b] || a - b);
    return order;
  }
  const keys = new Float64Array(n);
  const scale = VALUE_LEVELS / (high - low);
  for (let i = 0; i < n; i++) {
    const level = Math.min(VALUE_LEVELS - 1, Math.max(0, Math.floor((values[i] - low) * scale)));
    keys[i] = level * INDEX_BITS + i;
  }
  keys.sort();
  for (let r = 0; r < n; r++) order[r] = keys[r] % INDEX_BITS;
  return order;
}

/** Groups equal bandwidths: kernel k's is `groupSigmas[sigmaGroup[k]]`. */
export function groupBandwidths(sigmas: Float64Array): { sigmaGroup: Int32Array; groupSigmas: number[] } {
  const index = new Map<number, number>();
  const sigmaGroup = new Int32Array(sigmas.length);
  const groupSigmas: number[] = [];
  for (let k = 0; k < sigmas.length; k++) {
    let g = index.get(sigmas[k]);
    if (g === undefined) {
      g = groupSigmas.length;
      groupSigmas.push(sigmas[k]);
      index.set(sigmas[k], g);
    }
    sigmaGroup[k] = g;
  }
  return { sigmaGroup, groupSigmas };
}
