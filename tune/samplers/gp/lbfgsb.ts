/**
 * A small box-constrained quasi-Newton minimiser: L-BFGS directions on the free
 * variables (those not held at a bound by their gradient) and a backtracking Armijo
 * search along the projected path. Enough for the smooth, low-dimensional problems of
 * the GP (kernel hyperparameters, acquisition maximisation).
 */

/** Writes ∇f(x) into `gradient` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Iteration cap (default 100). */
  maxIterations?: number;
  /** Stop when the projected gradient's largest entry falls below this (default 1e-5). */
  gradientTolerance?: number;
  /** Stop when an iteration lowers f by less than this, relative to |f| (default 1e-10). */
  relativeTolerance?: number;
  /** Pairs of past steps kept for the Hessian approximation (default 10). */
  memory?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
}

export function minimizeBounded(f: ObjectiveWithGradient, start: ArrayLike<number>, options: MinimizeOptions): MinimizeResult {
  const n = start.length;
  const { lower, upper } = options;
  const maxIterations = options.maxIterations ?? 100;
  const gradientTolerance = options.gradientTolerance ?? 1e-5;
  const relativeTolerance = options.relativeTolerance ?? 1e-10;
  const memory = options.memory ?? 10;

  const project = (v: number, i: number) => Math.min(upper[i], Math.max(lower[i], v));
  let x = Float64Array.from(start, project);
  let g = new Float64Array(n);
  let value = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(value)) return { x, value, iterations: 0, evaluations };

  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const free = new Uint8Array(n);
  const direction = new Float64Array(n);
  const candidate = new Float64Array(n);
  const candidateGradient = new Float64Array(n);
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    let largest = 0;
    for (let i = 0; i < n; i++) {
      const held = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
      free[i] = held ? 0 : 1;
      if (!held) largest = Math.max(largest, Math.abs(g[i]));
    }
    if (largest < gradientTolerance) break;

    quasiNewtonDirection(g, free, steps, changes, direction);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i] * direction[i];
    if (!(slope < 0)) {
      steps.length = 0;
      changes.length = 0;
      for (let i = 0; i < n; i++) direction[i] = free[i] ? -g[i] : 0;
    }

    // The first step has no curvature information: keep it within a unit move.
    let t = steps.length === 0 ? Math.min(1, 1 / largest) : 1;
    let accepted = false;
    let nextValue = value;
    for (let tries = 0; tries < 40; tries++) {
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        candidate[i] = project(x[i] + t * direction[i], i);
        decrease += g[i] * (candidate[i] - x[i]);
      }
      if (!(decrease < 0)) break;
      nextValue = f(candidate, candidateGradient);
      evaluations++;
      if (Number.isFinite(nextValue) && nextValue <= value + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      if (steps.length === 0) break;
      // Stale curvature pairs: start over from steepest descent.
      steps.length = 0;
      changes.length = 0;
      continue;
    }

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = candidate[i] - x[i];
      y[i] = candidateGradient[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > 1e-12 * yy) {
      steps.push(s);
      changes.push(y);
      if (steps.length > memory) {
        steps.shift();
        changes.shift();
      }
    }
    const previous = value;
    x = Float64Array.from(candidate);
    g = Float64Array.from(candidateGradient);
    value = nextValue;
    if (previous - value <= relativeTolerance * Math.max(Math.abs(previous), Math.abs(value), 1)) {
      iterations++;
      break;
    }
  }
  return { x, value, iterations, evaluations };
}

/** −H·g over the free variables by the L-BFGS two-loop recursion. */
function quasiNewtonDirection(g: Float64Array, free: Uint8Array, steps: Float64Array[], changes: Float64Array[], out: Float64Array): void {
  const n = g.length;
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) if (free[i]) s += a[i] * b[i];
    return s;
  };
  const q = Float64Array.from(g, (v, i) => (free[i] ? v : 0));
  const m = steps.length;
  const alphas = new Float64Array(m);
  const rhos = new Float64Array(m);
  for (let k = m - 1; k >= 0; k--) {
    const sy = dot(steps[k], changes[k]);
    rhos[k] = sy > 0 ? 1 / sy : 0;
    alphas[k] = rhos[k] * dot(steps[k], q);
    for (let i = 0; i < n; i++) if (free[i]) q[i] -= alphas[k] * changes[k][i];
  }
  let gamma = 1;
  if (m > 0) {
    const yy = dot(changes[m - 1], changes[m - 1]);
    const sy = dot(steps[m - 1], changes[m - 1]);
    if (yy > 0 && sy > 0) gamma = sy / yy;
  }
  for (let i = 0; i < n; i++) q[i] *= gamma;
  for (let k = 0; k < m; k++) {
    const beta = rhos[k] * dot(changes[k], q);
    for (let i = 0; i < n; i++) if (free[i]) q[i] += steps[k][i] * (alphas[k] - beta);
  }
  for (let i = 0; i < n; i++) out[i] = free[i] ? -q[i] : 0;
}
