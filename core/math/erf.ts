/**
 * The error function and its complements.
 *
 * erf and erfc are the rational approximations of fdlibm's s_erf.c (Sun Microsystems:
 * "Permission to use, copy, modify, and distribute this software is freely granted,
 * provided that this notice is preserved"); the coefficients are theirs. fdlibm keeps
 * the error below 1 ulp; here erfc for x ≥ 1.25 forms e^(−x² − 0.5625 + R/S) in one
 * exp rather than fdlibm's split of x², which costs up to about x²·2^-53 relative
 * (3e-15 at x = 5, 1e-13 where erfc underflows).
 *
 * erfcx, the scaled e^(x²)·erfc(x), is summed directly: a power series below 1.2 and
 * Laplace's continued fraction (Lentz's method) above; relative error below 1.5e-15.
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

/** log erfc(x) for x ≥ 1.25, without forming erfc (no underflow however large x is); log Φ's far tail uses it. */
export function logErfcLarge(x: number): number {
  const s = 1 / (x * x);
  const ratio = x < 1 / 0.35 ? ra(s) / sa(s) : rb(s) / sb(s);
  return -x * x - 0.5625 + ratio - Math.log(x);
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x < 0 ? -erfPositive(-x) : erfPositive(x);
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate where it is tiny. */
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

const SQRT_PI = Math.sqrt(Math.PI);

/** e^(x²)·erfc(x) for x ≥ 0. */
function erfcxNonNegative(x: number): number {
  if (x < 1.2) {
    // e^(x²)·erf(x) = 2x/√π · Σ (2x²)^n / (2n+1)!!  (all terms positive: no cancellation)
    const twoX2 = 2 * x * x;
    let term = 1;
    let sum = 1;
    for (let n = 1; n < 200; n++) {
      term *= twoX2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.exp(x * x) - ((2 * x) / SQRT_PI) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by Lentz's method.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

/** The scaled complementary error function e^(x²)·erfc(x) (scipy's `erfcx`); it overflows below x ≈ −26.6. */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return x === Infinity ? 0 : erfcxNonNegative(x);
  // erfc(−t) = 2 − erfc(t)
  return 2 * Math.exp(x * x) - erfcxNonNegative(-x);
}
