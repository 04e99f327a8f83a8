/**
 * The normal distribution's CDF in log space, accurate far into the tails: what
 * truncated-normal kernels need, since a kernel near a bound or far from a
 * candidate puts a tiny mass there and its logarithm must not underflow to −∞.
 *
 * erf/erfc use the rational approximations of fdlibm's s_erf.c (Sun Microsystems,
 * "Permission to use, copy, modify, and distribute this software is freely granted,
 * provided that this notice is preserved"): coefficients below are theirs.
 */

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
// Horner forms written out: a loop over coefficient arrays is several times slower.
const pp = (z: number) =>
  1.28379167095512558561e-1 +
  z * (-3.2504210724700149937e-1 + z * (-2.84817495755985104766e-2 + z * (-5.77027029648944159157e-3 + z * -2.37630166566501626084e-5)));
const qq = (z: number) =>
  1 +
  z *
    (3.97917223959155352819e-1 +
      z * (6.50222499887672944485e-2 + z * (5.08130628187576562776e-3 + z * (1.32494738004321644526e-4 + z * -3.9602282787753681232e-6))));
const pa = (s: number) =>
  -2.36211856075265944077e-3 +
  s *
    (4.14856118683748331666e-1 +
      s *
        (-3.72207876035701323847e-1 +
          s *
            (3.18346619901161753674e-1 +
              s * (-1.10894694282396677476e-1 + s * (3.54783043256182359371e-2 + s * -2.166375594868790843e-3)))));
const qa = (s: number) =>
  1 +
  s *
    (1.06420880400844228286e-1 +
      s *
        (5.40397917702171048937e-1 +
          s *
            (7.18286544141962662868e-2 +
              s * (1.26171219808761642112e-1 + s * (1.36370839120290507362e-2 + s * 1.1984499846799107417e-2)))));
const ra = (s: number) =>
  -9.86494403484714822705e-3 +
  s *
    (-6.93858572707181764372e-1 +
      s *
        (-1.05586262253232909814e1 +
          s *
            (-6.23753324503260060396e1 +
              s *
                (-1.62396669462573470355e2 +
                  s * (-1.84605092906711035994e2 + s * (-8.12874355063065934246e1 + s * -9.81432934416914548592))))));
const sa = (s: number) =>
  1 +
  s *
    (1.96512716674392571292e1 +
      s *
        (1.376577541435190426e2 +
          s *
            (4.34565877475229228821e2 +
              s *
                (6.45387271733267880336e2 +
                  s *
                    (4.29008140027567833386e2 +
                      s * (1.08635005541779435134e2 + s * (6.57024977031928170135 + s * -6.04244152148580987438e-2)))))));
const rb = (s: number) =>
  -9.86494292470009928597e-3 +
  s *
    (-7.99283237680523006574e-1 +
      s *
        (-1.77579549177547519889e1 +
          s *
            (-1.60636384855821916062e2 +
              s * (-6.37566443368389627722e2 + s * (-1.02509513161107724954e3 + s * -4.83519191608651397019e2)))));
const sb = (s: number) =>
  1 +
  s *
    (3.03380607434824582924e1 +
      s *
        (3.25792512996573918826e2 +
          s *
            (1.53672958608443695994e3 +
              s *
                (3.19985821950859553908e3 +
                  s * (2.55305040643316442583e3 + s * (4.74528541206955367215e2 + s * -2.24409524465858183362e1))))));

/** erf(x) for x ≥ 0. */
function erfPositive(x: number): number {
  if (x < 0.84375) {
    if (x < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (pp(z) / qq(z));
  }
  if (x < 1.25) {
    const s = x - 1;
    return ERX + pa(s) / qa(s);
  }
  if (x >= 6) return 1;
  return 1 - Math.exp(logErfcLarge(x));
}

/** log erfc(x) for x ≥ 1.25, without forming erfc (no underflow however large x is). */
function logErfcLarge(x: number): number {
  const s = 1 / (x * x);
  const ratio = x < 1 / 0.35 ? ra(s) / sa(s) : rb(s) / sb(s);
  return -x * x - 0.5625 + ratio - Math.log(x);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x < 0 ? -erfPositive(-x) : erfPositive(x);
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 0.84375) {
    if (x < 0.25) return 1 - erfPositive(x);
    const z = x * x;
    return 0.5 - (x - 0.5 + x * (pp(z) / qq(z)));
  }
  if (x < 1.25) return 1 - ERX - pa(x - 1) / qa(x - 1);
  if (x === Infinity) return 0;
  return Math.exp(logErfcLarge(x));
}

/** Φ(a), the standard normal CDF. */
export function ndtr(a: number): number {
  return 0.5 * erfc(-a * Math.SQRT1_2);
}

/** log Φ(a), accurate in both tails. */
export function logNdtr(a: number): number {
  if (a === -Infinity) return -Infinity;
  const t = -a * Math.SQRT1_2;
  if (t >= 1.25) return logErfcLarge(t) - Math.LN2;
  if (a > 0) return Math.log1p(-0.5 * erfc(-t));
  return Math.log(0.5 * erfc(t));
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log of the standard normal mass in [a, b] (a ≤ b); −∞ when a = b. */
export function logGaussMass(a: number, b: number): number {
  // Differences in the right tail lose precision, so use the symmetry and stay left.
  // Beyond 8.5σ the far tail is below 1e-16 of the mass: one CDF suffices.
  if (b > 8.5 && a <= 0) return logNdtr(-a);
  if (a < -8.5 && b >= 0) return logNdtr(b);
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  if (a > -5 && b < 5) {
    // Central and not extreme: one subtraction of erfs is exact enough and cheaper.
    return Math.log(0.5 * (erf(b * Math.SQRT1_2) - erf(a * Math.SQRT1_2)));
  }
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

const EXP_STEPS = 8;
const EXP_RANGE = 40;
/** e^(−k/8) for k = 0 … 320. */
const EXP_TABLE = Float64Array.from({ length: EXP_RANGE * EXP_STEPS + 2 }, (_, k) => Math.exp(-k / EXP_STEPS));

/**
 * e^a for a in (−40, 0]: e^(−k/8) from a table times a degree-8 Taylor polynomial on
 * the remaining (−1/8, 0], relative error below 3e-14. The log-sum-exp over thousands
 * of kernels spends most of its time in exp; this is about twice as fast as Math.exp.
 */
export function expNegative(a: number): number {
  const k = Math.floor(-a * EXP_STEPS);
  const r = a + k / EXP_STEPS;
  return EXP_TABLE[k] * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r / 40320))))))));
}
