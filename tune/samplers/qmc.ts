import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import { checkSeed, Rng } from "../../core/rng.js";
import { type Distribution, distributionFromJson } from "../distributions.js";
import type { InternalParams, Sampler, StudyView } from "./sampler.js";
import { fromUnit } from "./search-space.js";
import { SOBOL_DIRECTIONS, SOBOL_MAX_DIMENSION } from "./sobol-directions.js";

/** A low-discrepancy sequence in the unit cube, addressed by index. */
export interface QuasiRandomSequence {
  readonly dimension: number;
  /** Point `index` (0-based) into `out` (length ≥ dimension), each coordinate in [0, 1). */
  point(index: number, out: Float64Array): void;
}

const BITS = 32;
const TWO_32 = 2 ** 32;

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** Direction numbers v_1..v_32 of each dimension, as 32-bit integers (v_k = m_k · 2^(32−k)). */
function sobolDirections(dimension: number): Uint32Array[] {
  const entries = SOBOL_DIRECTIONS.split(";");
  const result: Uint32Array[] = [];
  for (let d = 0; d < dimension; d++) {
    const v = new Uint32Array(BITS);
    if (d === 0) {
      // The first dimension is the van der Corput sequence in base 2.
      for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    } else {
      const [polyHex, mHex] = entries[d - 1].split(":");
      const poly = parseInt(polyHex, 16);
      const degree = Math.floor(Math.log2(poly));
      const m = mHex.split(",").map((h) => parseInt(h, 16));
      for (let k = 0; k < degree && k < BITS; k++) v[k] = (m[k] * 2 ** (BITS - 1 - k)) >>> 0;
      // Bratley–Fox recurrence: v_k = a_1 v_{k−1} ⊕ … ⊕ a_{s−1} v_{k−s+1} ⊕ v_{k−s} ⊕ (v_{k−s} >> s).
      for (let k = degree; k < BITS; k++) {
        let value = v[k - degree] ^ (v[k - degree] >>> degree);
        for (let i = 1; i < degree; i++) if ((poly >>> (degree - i)) & 1) value ^= v[k - i];
        v[k] = value >>> 0;
      }
    }
    result.push(v);
  }
  return result;
}

export interface SequenceOptions {
  /** Randomise the sequence while keeping its balance (default true). */
  scramble?: boolean;
  /** Seed of the scrambling (default: random). */
  seed?: number;
}

/**
 * The Sobol sequence with Joe and Kuo's direction numbers (new-joe-kuo-6.21201), in
 * Gray-code order as SciPy gives it, up to 1024 dimensions and 2^32 points.
 * Scrambling is Owen's linear matrix scramble plus a random digital shift: every
 * point stays in the same elementary intervals, so the first 2^m points still
 * stratify each dimension into 2^m equal cells.
 */
export class SobolSequence implements QuasiRandomSequence {
  readonly dimension: number;
  private readonly directions: Uint32Array[];
  private readonly shifts: Uint32Array;

  constructor(dimension: number, options: SequenceOptions = {}) {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION) {
      throw new ValueError(`SobolSequence: dimension must be an integer from 1 to ${SOBOL_MAX_DIMENSION}, got ${show(dimension)}.`);
    }
    checkSeed("SobolSequence", options.seed);
    this.dimension = dimension;
    this.directions = sobolDirections(dimension);
    this.shifts = new Uint32Array(dimension);
    if (options.scramble ?? true) {
      const rng = new Rng(options.seed);
      for (let d = 0; d < dimension; d++) {
        this.directions[d] = scrambleDirections(this.directions[d], rng);
        this.shifts[d] = rng.nextUint32();
      }
    }
  }

  point(index: number, out: Float64Array): void {
    if (!Number.isInteger(index) || index < 0 || index >= TWO_32)
      throw new ValueError(`SobolSequence: index must be an integer in [0, 2^32), got ${show(index)}.`);
    const gray = (index ^ Math.floor(index / 2)) >>> 0;
    for (let d = 0; d < this.dimension; d++) {
      const v = this.directions[d];
      let x = this.shifts[d];
      for (let k = 0, bits = gray; bits !== 0; k++, bits >>>= 1) if (bits & 1) x ^= v[k];
      out[d] = (x >>> 0) / TWO_32;
    }
  }
}

/**
 * Multiplies each direction number by a random lower-triangular binary matrix with a
 * unit diagonal: output digit i is input digit i plus a random combination of the
 * more significant digits, so the map is a bijection on every dyadic interval.
 */
function scrambleDirections(v: Uint32Array, rng: Rng): Uint32Array {
  const rows = new Uint32Array(BITS);
  for (let i = 0; i < BITS; i++) {
    const digit = 2 ** (BITS - 1 - i);
    // Random bits above this digit, the digit itself set, nothing below.
    const above = i === 0 ? 0 : (rng.nextUint32() & ~(2 * digit - 1)) >>> 0;
    rows[i] = (above | digit) >>> 0;
  }
  const scrambled = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) {
    let value = 0;
    for (let i = 0; i < BITS; i++) if (parity(rows[i] & v[k])) value = (value | (2 ** (BITS - 1 - i))) >>> 0;
    scrambled[k] = value;
  }
  return scrambled;
}

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    if (primes.every((p) => p * p > candidate || candidate % p !== 0)) primes.push(candidate);
  }
  return primes;
}

/**
 * The Halton sequence: dimension d is the radical inverse of the index in the d-th
 * prime base. Scrambling permutes the digits at random (one permutation per digit
 * position and dimension), which removes the strong correlations between high
 * dimensions of the plain sequence.
 */
export class HaltonSequence implements QuasiRandomSequence {
  readonly dimension: number;
  private readonly bases: number[];
  /** Per dimension, per digit position, a permutation of 0..base−1 (null: unscrambled). */
  private readonly permutations: Uint16Array[][] | null;

  constructor(dimension: number, options: SequenceOptions = {}) {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > 4096) {
      throw new ValueError(`HaltonSequence: dimension must be an integer from 1 to 4096, got ${show(dimension)}.`);
    }
    checkSeed("HaltonSequence", options.seed);
    this.dimension = dimension;
    this.bases = firstPrimes(dimension);
    if (options.scramble ?? true) {
      const rng = new Rng(options.seed);
      this.permutations = this.bases.map((base) => {
        // Enough digits for 2^-44 resolution: the tail beyond is below double precision of most draws.
        const digits = Math.ceil((44 * Math.LN2) / Math.log(base));
        return Array.from({ length: digits }, () => {
          const perm = new Uint16Array(base);
          for (let i = 0; i < base; i++) perm[i] = i;
          for (let i = base - 1; i > 0; i--) {
            const j = Math.floor(rng.random() * (i + 1));
            [perm[i], perm[j]] = [perm[j], perm[i]];
          }
          return perm;
        });
      });
    } else {
      this.permutations = null;
    }
  }

  point(index: number, out: Float64Array): void {
    if (!Number.isInteger(index) || index < 0 || index > Number.MAX_SAFE_INTEGER)
      throw new ValueError(`HaltonSequence: index must be a non-negative integer, got ${show(index)}.`);
    for (let d = 0; d < this.dimension; d++) {
      const base = this.bases[d];
      let n = index;
      let scale = 1 / base;
      let x = 0;
      if (this.permutations === null) {
        while (n > 0) {
          x += (n % base) * scale;
          n = Math.floor(n / base);
          scale /= base;
        }
      } else {
        // All digit positions are permuted, including the zeros beyond the index's last digit.
        for (const perm of this.permutations[d]) {
          x += perm[n % base] * scale;
          n = Math.floor(n / base);
          scale /= base;
        }
      }
      out[d] = Math.min(x, 1 - Number.EPSILON);
    }
  }
}

export type QmcType = "sobol" | "halton";

export interface QMCSamplerOptions {
  /** "sobol" (default) or "halton". */
  qmcType?: QmcType;
  /** Scramble the sequence (default true); unscrambled sequences start at the corner 0. */
  scramble?: boolean;
  /** Seed of the scrambling and of the random draws outside the design (default: random). */
  seed?: number;
}

/**
 * Quasi-Monte Carlo search: trial n gets point n of a low-discrepancy sequence,
 * mapped onto the search space, so the trials cover the space far more evenly than
 * random draws (no clumps, no large holes). The space, and so the dimension, is
 * fixed by the first finished trial; the first trial and any parameter outside that
 * space are drawn at random. Categorical and integer parameters take their share of
 * each coordinate (see `fromUnit`). Workers with the same seed share one sequence,
 * and the trial number picks the point, so they never repeat each other's points.
 */
export class QMCSampler implements Sampler {
  readonly name: string;
  readonly multiObjective = true;
  private readonly qmcType: QmcType;
  private readonly scramble: boolean;
  private readonly seed: number;
  private readonly rng: Rng;
  private readonly perStudy = new Map<
    string,
    { names: string[]; space: Record<string, Distribution>; sequence: QuasiRandomSequence | null }
  >();

  constructor(options: QMCSamplerOptions = {}) {
    checkOptionKeys("QMCSampler", options, ["qmcType", "scramble", "seed"]);
    const qmcType = options.qmcType ?? "sobol";
    if (qmcType !== "sobol" && qmcType !== "halton")
      throw new ValueError(`QMCSampler: qmcType must be "sobol" or "halton", got ${show(qmcType)}.`);
    const scramble = options.scramble ?? true;
    if (typeof scramble !== "boolean") throw new ValueError(`QMCSampler: scramble must be true or false, got ${show(scramble)}.`);
    checkSeed("QMCSampler", options.seed);
    this.qmcType = qmcType;
    this.scramble = scramble;
    this.name = qmcType === "sobol" ? "qmc" : "qmc-halton";
    const seeder = new Rng(options.seed);
    this.seed = seeder.nextUint32();
    this.rng = seeder.fork();
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    return this.design(study)?.space ?? {};
  }

  sampleRelative(study: StudyView, trial: TrialRecord, searchSpace: Record<string, Distribution>): InternalParams {
    const design = this.design(study);
    if (design === null || design.sequence === null) return {};
    const u = new Float64Array(design.sequence.dimension);
    design.sequence.point(trial.number, u);
    const params: InternalParams = {};
    design.names.forEach((name, j) => {
      if (searchSpace[name] !== undefined) params[name] = fromUnit(design.space[name], u[j]);
    });
    return params;
  }

  sampleIndependent(_study: StudyView, _trial: TrialRecord, _name: string, distribution: Distribution): number {
    return fromUnit(distribution, this.rng.random());
  }

  private design(study: StudyView) {
    const key = `${study.studyId}\u0000${study.name}`;
    const known = this.perStudy.get(key);
    if (known !== undefined) return known;
    const finished = study.trials(["COMPLETE", "PRUNED"]);
    if (finished.length === 0) return null;
    const first = finished.reduce((a, b) => (b.number < a.number ? b : a));
    const space: Record<string, Distribution> = {};
    for (const name of Object.keys(first.distributions).sort()) {
      const d = distributionFromJson(first.distributions[name]);
      if (!d.isSingle()) space[name] = d;
    }
    const names = Object.keys(space);
    const dimension = Math.min(names.length, this.qmcType === "sobol" ? SOBOL_MAX_DIMENSION : 4096);
    const designNames = names.slice(0, dimension);
    const designSpace: Record<string, Distribution> = {};
    for (const name of designNames) designSpace[name] = space[name];
    const options = { scramble: this.scramble, seed: this.seed };
    const sequence =
      dimension === 0 ? null : this.qmcType === "sobol" ? new SobolSequence(dimension, options) : new HaltonSequence(dimension, options);
    const design = { names: designNames, space: designSpace, sequence };
    this.perStudy.set(key, design);
    return design;
  }
}
