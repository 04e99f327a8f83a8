import { Rng } from "../../../core/rng.js";

/**
 * Learning curves that fall (or rise) towards a trial-specific asymptote, with noise:
 * loss(k) = a + (start − a)·e^(−k/τ) + ε. Different asymptotes and speeds make curves
 * cross, which is what pruners have to cope with.
 */
export function learningCurves(
  seed: number,
  trials: number,
  steps: number,
  options: { maximize?: boolean; noise?: number } = {},
): number[][] {
  const rng = new Rng(seed);
  const noise = options.noise ?? 0.02;
  const curves: number[][] = [];
  for (let i = 0; i < trials; i++) {
    const asymptote = rng.uniform(0.1, 1);
    const start = 2 + rng.uniform(0, 0.5);
    const tau = rng.uniform(2, 10);
    const curve: number[] = [];
    for (let k = 0; k < steps; k++) {
      const loss = asymptote + (start - asymptote) * Math.exp(-k / tau) + noise * rng.normal();
      curve.push(options.maximize ? 3 - loss : loss);
    }
    curves.push(curve);
  }
  return curves;
}
