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
