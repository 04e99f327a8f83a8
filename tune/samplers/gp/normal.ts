/**
 * The log-space pieces of the acquisition functions, with their derivatives: log Φ for
 * PI and log h for log EI, computed so that they stay finite far into the tails
 * (acquisition values of hopeless points must still be ordered, and their gradients
 * must not vanish).
 *
 * Every branch rests on erfcx: near the centre through erfc(x) = e^(−x²)·erfcx(x), below
 * z = −1 through the Mills ratio. Seeded GP runs depend on these values to the last bit,
 * so they stay on this one approximation and not on core's erfc (fdlibm's), which agrees
 * with it to about 1e-15 (relative error of this form: below 7e-15).
 */
import { LOG_SQRT_2PI } from "../../../core/math/constants.js";
import { erfcx } from "../../../core/math/erf.js";
import { logNormalCdf, normalCdf, normalPdf } from "../../../core/math/normal.js";

const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);

/** erfc(x) as e^(−x²)·erfcx(x), reflected for x < 0. */
function erfcFromErfcx(x: number): number {
  if (x < 0) return 2 - erfcFromErfcx(-x);
  return x > 27 ? 0 : Math.exp(-x * x) * erfcx(x);
}

/** Φ(z) from erfcx. */
function cdf(z: number): number {
  return 0.5 * erfcFromErfcx(-z * Math.SQRT1_2);
}

/** Φ(z)/φ(z) for z ≤ 0 (Mills' ratio of −z), without underflow. */
function cdfOverPdf(z: number): number {
  return SQRT_HALF_PI * erfcx(-z * Math.SQRT1_2);
}

/** log Φ(z) and its derivative φ(z)/Φ(z), finite for every finite z. */
export function logNormalCdfWithSlope(z: number): { value: number; slope: number } {
  if (z > 0) {
    const tail = 0.5 * erfcFromErfcx(z * Math.SQRT1_2);
    return { value: Math.log1p(-tail), slope: normalPdf(z) / (1 - tail) };
  }
  if (z > -1) {
    const p = cdf(z);
    return { value: Math.log(p), slope: normalPdf(z) / p };
  }
  const ratio = cdfOverPdf(z);
  return { value: Math.log(ratio) - 0.5 * z * z - LOG_SQRT_2PI, slope: 1 / ratio };
}

/**
 * log h(z) with h(z) = E[max(0, z + N(0,1))] = z·Φ(z) + φ(z), the expected improvement of a
 * unit normal over a threshold z standard deviations above its mean, and d/dz log h = Φ(z)/h(z).
 *
 * Three regimes (after Ament et al. 2023, "Unexpected Improvements to Expected Improvement"):
 * direct for z > −1; h = φ(z)·(1 + z·Φ/φ) with Φ/φ from erfcx down to z = −1000 (the
 * cancellation in 1 + z·Φ/φ costs a relative error of about ε·z², so at most 1e-10 there);
 * below, the asymptotic series h ≈ φ(z)/z² · (1 − 3/z² + 15/z⁴).
 */
export function logH(z: number): { value: number; slope: number } {
  if (z > -1) {
    const p = cdf(z);
    const h = z * p + normalPdf(z);
    return { value: Math.log(h), slope: p / h };
  }
  if (z > -1000) {
    const ratio = cdfOverPdf(z);
    const bracket = 1 + z * ratio;
    return { value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(bracket), slope: ratio / bracket };
  }
  const u = 1 / (z * z);
  const series = 1 - 3 * u + 15 * u * u;
  const seriesSlope = (6 * u - 60 * u * u) / z; // d/dz of series
  return {
    value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(u) + Math.log(series),
    slope: -z - 2 / z + seriesSlope / series,
  };
}

/** log h(z) and its slope, as `logH` gives them. */
export interface LogHAt {
  value: number;
  slope: number;
}

/** Below this z, `fastLogH` takes h from its asymptotic series. */
const ASYMPTOTIC_BELOW = -40;

/**
 * `logH` by another road, for log EHVI, which needs it at every box edge of every
 * candidate: Φ from core's rational approximations (fdlibm's) instead of erfcx, whose
 * continued fraction costs up to a microsecond near |z| ≈ 2. Relative error of h below
 * 1e-9 (the Mills ratio from core's log Φ loses ε·z² in the exponent, and 1 + z·Φ/φ
 * cancels z² of that); below z = −40 the asymptotic series
 * h = φ(z)/z²·(1 − 3/z² + 15/z⁴ − … − 10395/z¹⁰), to 1e-14. `logH` stays as it is: seeded
 * single-objective runs depend on its last bit.
 */
export function fastLogH(z: number): LogHAt {
  if (z > -1) {
    const p = normalCdf(z);
    const h = z * p + normalPdf(z);
    return { value: Math.log(h), slope: p / h };
  }
  if (z > ASYMPTOTIC_BELOW) {
    const ratio = Math.exp(logNormalCdf(z) + 0.5 * z * z + LOG_SQRT_2PI); // Φ/φ
    const bracket = 1 + z * ratio;
    return { value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(bracket), slope: ratio / bracket };
  }
  const u = 1 / (z * z);
  // Φ/φ = (1/|z|)·(1 − u + 3u² − 15u³ + …) and 1 + z·Φ/φ = u·(1 − 3u + 15u² − 105u³ + …)
  const ratio = (1 - u * (1 - u * (3 - u * (15 - u * (105 - u * 945))))) / -z;
  const bracket = u * (1 - u * (3 - u * (15 - u * (105 - u * (945 - u * 10395)))));
  return { value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(bracket), slope: ratio / bracket };
}

/** Below this gap between log h at the ends, the difference of the h's cancels: integrate Φ instead. */
const NARROW_GAP = 0.1;

/**
 * log(h(a) − h(b)) = log ∫_b^a Φ(t) dt for b < a, given log h at both ends (b = −∞:
 * h(b) = 0). E[(min(Y, u) − l)₊] for Y ~ N(μ, σ²) is σ times this at a = (μ − l)/σ,
 * b = (μ − u)/σ. Its derivatives are Φ(a)/I in a and −Φ(b)/I in b, where Φ = h·(slope of
 * log h).
 *
 * Where the two h's differ by more than a tenth in log, log h(a) + log(1 − e^(−gap)) is
 * exact to a few ulps of the gap. Closer, that subtraction would cancel; there Φ changes
 * little over the interval (w·max(1, −m) ≲ 0.1 for width w and middle m, or Φ ≈ 1), and
 * the midpoint expansion ∫ Φ = w·Φ(m)·(1 + (φ(m)/Φ(m))·Σ_k w^2k·Φ^(2k+1)(m)/(φ(m)·2^2k·(2k+1)!))
 * with three terms (Φ^(n+1) = (−1)^n·He_n·φ) is exact to about 1e-11 relative.
 */
export function logHDifference(a: number, logHa: number, b: number, logHb: number): number {
  if (b === -Infinity) return logHa;
  const gap = logHa - logHb;
  if (gap > NARROW_GAP) return logHa + Math.log(-Math.expm1(-gap));
  const w = a - b;
  const m = 0.5 * (a + b);
  const logCdf = logNormalCdf(m);
  const ratio = Math.exp(-0.5 * m * m - LOG_SQRT_2PI - logCdf); // φ/Φ: the factor of a small correction, needs no more precision
  const w2 = w * w;
  const m2 = m * m;
  const series = -m / 24 - (w2 * m * (m2 - 3)) / 1920 - (w2 * w2 * m * (m2 * m2 - 10 * m2 + 15)) / 322560;
  return Math.log(w) + logCdf + Math.log1p(ratio * w2 * series);
}
