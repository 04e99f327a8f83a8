/**
 * The thin singular value decomposition of a centred data matrix, with scikit-learn's
 * sign convention (`svd_flip`, u_based_decision=True).
 *
 * One-sided (Hestenes) Jacobi rotations rather than ml-matrix's Golub–Kahan SVD: both
 * agree with LAPACK to about 1e-14 on iris, wine and digits, but Jacobi rotations leave
 * already orthogonal columns untouched and so give singular values with high relative
 * accuracy — exactly 18, 12 and 6 for columns whose sums of squares are 324, 144 and 36,
 * where ml-matrix gives 5.999999999999998 for 6. PCA picks its number of components by
 * comparing cumulative variance ratios with a fraction, so those last bits decide ties.
 *
 * A tall X (n > p rows) whose columns are not already orthogonal is first reduced to
 * the p × p triangle R of its Householder QR, X = Q·R, and the rotations run on R's
 * columns (X·V = Q·R·V, so X and R share singular values and axes), as LAPACK's
 * preconditioned Jacobi SVD does: each rotation then costs p instead of n. Orthogonal
 * columns skip the QR, whose round-off would otherwise leave R's off-diagonal entries
 * at 1e-16 instead of 0, and stay untouched as before.
 */

/** Singular values, largest first, and the matching right singular vectors (rows of Vᵀ). */
export interface ThinSvd {
  singularValues: number[];
  /** min(n, p) rows of length p: the principal axes. */
  vt: number[][];
}

const MAX_SWEEPS = 100;

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let r = 0; r < a.length; r++) sum += a[r] * b[r];
  return sum;
}

function rotate(a: Float64Array, b: Float64Array, c: number, s: number): void {
  for (let r = 0; r < a.length; r++) {
    const x = a[r];
    const y = b[r];
    a[r] = c * x - s * y;
    b[r] = s * x + c * y;
  }
}

/**
 * Rotate the columns of A (given as arrays) until every pair is orthogonal to working
 * precision, applying the same rotations to the identity, V. Then A·V₀ = U·S column by
 * column: the column norms are the singular values and V the right singular vectors.
 */
function orthogonalize(columns: Float64Array[]): Float64Array[] {
  const m = columns.length;
  const v = columns.map((_, j) => {
    const e = new Float64Array(m);
    e[j] = 1;
    return e;
  });
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let i = 0; i < m - 1; i++) {
      for (let j = i + 1; j < m; j++) {
        // the three dot products in one pass: each summed in row order, as dot() sums it
        const a = columns[i];
        const b = columns[j];
        let gamma = 0;
        let alpha = 0;
        let beta = 0;
        for (let r = 0; r < a.length; r++) {
          gamma += a[r] * b[r];
          alpha += a[r] * a[r];
          beta += b[r] * b[r];
        }
        if (gamma === 0) continue;
        if (Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        rotate(columns[i], columns[j], c, c * t);
        rotate(v[i], v[j], c, c * t);
      }
    }
    if (!rotated) break;
  }
  return v;
}

/** Whether Jacobi would rotate no pair of these columns: each pair already orthogonal to working precision. */
function orthogonal(columns: readonly Float64Array[]): boolean {
  const squares = columns.map((column) => dot(column, column));
  for (let i = 0; i < columns.length - 1; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const gamma = dot(columns[i], columns[j]);
      if (gamma !== 0 && Math.abs(gamma) > Number.EPSILON * Math.sqrt(squares[i] * squares[j])) return false;
    }
  }
  return true;
}

/**
 * The triangle R of the Householder QR of the n × p matrix given by its p columns
 * (n ≥ p; the columns are overwritten): R's columns, each of length p.
 */
function householderR(columns: Float64Array[]): Float64Array[] {
  const n = columns[0].length;
  const p = columns.length;
  const r = columns.map(() => new Float64Array(p));
  for (let j = 0; j < p; j++) {
    const x = columns[j];
    let tail = 0;
    for (let i = j + 1; i < n; i++) tail += x[i] * x[i];
    const norm = Math.sqrt(x[j] * x[j] + tail);
    for (let i = 0; i < j; i++) r[j][i] = x[i];
    if (norm === 0) continue;
    // the reflector v = x − alpha·e_j, alpha of the sign opposite to x_j so that v_j does not cancel
    const alpha = x[j] >= 0 ? -norm : norm;
    const head = x[j] - alpha;
    const scale = 2 / (head * head + tail);
    if (!Number.isFinite(scale)) {
      r[j][j] = x[j];
      continue;
    }
    r[j][j] = alpha;
    for (let l = j + 1; l < p; l++) reflect(x, j, head, scale, columns[l]);
  }
  return r;
}

/** Apply the reflector I − scale·v·vᵀ, v = (head at j, x below it), to column y. */
function reflect(x: Float64Array, j: number, head: number, scale: number, y: Float64Array): void {
  let s = head * y[j];
  for (let i = j + 1; i < x.length; i++) s += x[i] * y[i];
  const t = scale * s;
  y[j] -= t * head;
  for (let i = j + 1; i < x.length; i++) y[i] -= t * x[i];
}

/** +1 or −1: the sign of the entry of largest magnitude (the first of equals), as `svd_flip` takes it from U's column. */
function flipSign(u: ArrayLike<number>): number {
  let best = 0;
  for (let r = 1; r < u.length; r++) if (Math.abs(u[r]) > Math.abs(u[best])) best = r;
  return u[best] < 0 ? -1 : 1;
}

/**
 * The sign `flipSign` gives each column of X·V, for X given by its rows and V by its
 * columns: the product is formed four rows at a time (each entry summed in column
 * order) and each column's entry of largest magnitude tracked as the rows go by.
 */
function productSigns(rows: readonly (readonly number[])[], v: readonly Float64Array[]): number[] {
  const p = v.length;
  const weights = new Float64Array(p * p);
  v.forEach((column, k) => {
    for (let j = 0; j < p; j++) weights[j * p + k] = column[j];
  });
  const entries = new Float64Array(4 * p);
  const largest = new Float64Array(p).fill(-1);
  const signs = new Array<number>(p).fill(1);
  for (let i = 0; i < rows.length; i += 4) {
    const count = Math.min(4, rows.length - i);
    // a block of fewer than 4 rows repeats its last one
    const r0 = rows[i];
    const r1 = rows[i + Math.min(1, count - 1)];
    const r2 = rows[i + Math.min(2, count - 1)];
    const r3 = rows[i + count - 1];
    entries.fill(0);
    for (let j = 0; j < p; j++) {
      const x0 = r0[j];
      const x1 = r1[j];
      const x2 = r2[j];
      const x3 = r3[j];
      for (let k = 0, w = j * p; k < p; k++, w++) {
        const weight = weights[w];
        entries[k] += x0 * weight;
        entries[p + k] += x1 * weight;
        entries[2 * p + k] += x2 * weight;
        entries[3 * p + k] += x3 * weight;
      }
    }
    for (let a = 0; a < count; a++) {
      for (let k = 0; k < p; k++) {
        const entry = entries[a * p + k];
        if (Math.abs(entry) > largest[k]) {
          largest[k] = Math.abs(entry);
          signs[k] = entry < 0 ? -1 : 1;
        }
      }
    }
  }
  return signs;
}

/**
 * Complete `rows` (orthonormal, each of length p) with a unit vector orthogonal to all of
 * them: the standard basis vector with the largest remainder after Gram–Schmidt (twice).
 */
function orthogonalComplement(rows: readonly number[][], p: number): number[] {
  let best: number[] = [];
  let bestNorm = -1;
  for (let e = 0; e < p; e++) {
    const x = new Array<number>(p).fill(0);
    x[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const row of rows) {
        let d = 0;
        for (let k = 0; k < p; k++) d += row[k] * x[k];
        for (let k = 0; k < p; k++) x[k] -= d * row[k];
      }
    }
    const norm = Math.sqrt(x.reduce((acc, value) => acc + value * value, 0));
    if (norm > bestNorm) {
      best = x.map((value) => value / norm);
      bestNorm = norm;
    }
  }
  return best;
}

/**
 * The thin SVD of the n × p matrix `centred` (rows), singular values descending, each
 * axis signed so that the largest entry of its left singular vector is positive. Axes of
 * singular values at round-off level (rank deficiency, or n ≤ p after centring) are not
 * unique: any orthonormal completion is as good as LAPACK's.
 */
export function thinSvd(centred: readonly (readonly number[])[]): ThinSvd {
  const n = centred.length;
  const p = centred[0].length;
  const tall = n >= p;
  // Rotate the columns of X when n >= p, else those of Xᵀ (fewer, longer columns).
  const columns = tall
    ? Array.from({ length: p }, (_, j) => Float64Array.from(centred, (row) => row[j]))
    : centred.map((row) => Float64Array.from(row));
  // Rotate R's columns instead when that saves work; the axes are the same.
  const reduce = tall && n > p && !orthogonal(columns);
  const rotated = reduce ? householderR(columns) : columns;
  const v = orthogonalize(rotated);
  const signs = reduce ? productSigns(centred, v) : [];
  const norms = rotated.map((column) => Math.sqrt(dot(column, column)));
  const order = norms.map((_, k) => k).sort((a, b) => norms[b] - norms[a]);
  const singularValues = order.map((k) => norms[k]);
  const negligible = (singularValues[0] ?? 0) * Math.max(n, p) * Number.EPSILON;
  const vt: number[][] = [];
  for (const k of order) {
    if (tall) {
      // X·V = U·S: X·v_k is U's column k times S_k, which has U's signs.
      const sign = reduce ? signs[k] : flipSign(columns[k]);
      vt.push(Array.from(v[k], (value) => sign * value));
    } else {
      // Xᵀ·V = W·S, so X = V·S·Wᵀ: V holds X's left singular vectors, W its axes.
      const sign = flipSign(v[k]);
      const axis = norms[k] > negligible ? Array.from(columns[k], (value) => value / norms[k]) : orthogonalComplement(vt, p);
      vt.push(axis.map((value) => sign * value));
    }
  }
  return { singularValues, vt };
}
