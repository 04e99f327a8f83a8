/**
 * Limited-memory BFGS for smooth convex objectives, with a backtracking
 * (Armijo) line search — enough for logistic regression, where it reaches the
 * same optimum as scikit-learn's L-BFGS-B.
 */

export interface LbfgsOptions {
  /** Stop when the largest gradient component is at most this. */
  tol: number;
  /** Iteration limit. */
  maxIter: number;
  /** Number of correction pairs kept. Default 10. */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/** Minimise `f`, which returns the value and fills `gradient` at `x`. */
export function lbfgs(f: (x: Float64Array, gradient: Float64Array) => number, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const memory = options.memory ?? 10;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let value = f(x, g);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Array<number>(memory);
  for (let iteration = 0; iteration < options.maxIter; iteration++) {
    if (maxAbs(g) <= options.tol) return { x, value, iterations: iteration, converged: true };
    // Two-loop recursion: direction = -H·g.
    for (let i = 0; i < n; i++) direction[i] = -g[i];
    for (let k = sHistory.length - 1; k >= 0; k--) {
      alpha[k] = rhoHistory[k] * dot(sHistory[k], direction);
      axpy(-alpha[k], yHistory[k], direction);
    }
    if (sHistory.length > 0) {
      const last = sHistory.length - 1;
      const gamma = dot(sHistory[last], yHistory[last]) / dot(yHistory[last], yHistory[last]);
      for (let i = 0; i < n; i++) direction[i] *= gamma;
    }
    for (let k = 0; k < sHistory.length; k++) {
      const beta = rhoHistory[k] * dot(yHistory[k], direction);
      axpy(alpha[k] - beta, sHistory[k], direction);
    }
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHistory.length = yHistory.length = rhoHistory.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i];
      slope = dot(g, direction);
    }
    let step = sHistory.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let valueNew = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 50; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * direction[i];
      valueNew = f(xNew, gNew);
      if (valueNew <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) return { x, value, iterations: iteration, converged: false };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(y, y) * dot(s, s))) {
      if (sHistory.length === memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }
    const decrease = value - valueNew;
    x = xNew;
    g = gNew;
    value = valueNew;
    // scipy's ftol rule: stop when the relative decrease is at round-off level.
    if (decrease <= 64 * Number.EPSILON * Math.max(Math.abs(value), Math.abs(valueNew), 1)) {
      return { x, value, iterations: iteration + 1, converged: maxAbs(g) <= options.tol };
    }
  }
  return { x, value, iterations: options.maxIter, converged: maxAbs(g) <= options.tol };
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]));
  return largest;
}
