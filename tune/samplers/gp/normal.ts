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
import { normalPdf } from "../../../core/math/normal.js";

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
