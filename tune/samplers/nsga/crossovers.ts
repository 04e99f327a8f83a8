/**
 * The crossovers of Optuna 3.1's NSGA-II (optuna/samplers/nsgaii/_crossovers/), each
 * making one child from its parents' numeric parameters in the transformed space of
 * `NumericSpace`. Categorical parameters never come here: they always get a uniform
 * crossover (see genetic-sampler.ts).
 */
import { checkOptionKeys, closest, show, ValueError } from "../../../core/errors.js";
import type { Rng } from "../../../core/rng.js";

/** What a crossover may know of the study: SBX and vSBX pick their default spread by it. */
export interface CrossoverContext {
  /** Objectives of the study. */
  objectives: number;
}

export interface Crossover {
  /** Short name, as `crossover` takes it. */
  readonly name: CrossoverName;
  /** Parents each child is made from (the population must hold at least this many). */
  readonly parents: number;
  /**
   * One child from `parents` (each a vector of the transformed numeric parameters), given
   * each coordinate's [low, high]. The child may fall outside the bounds; the sampler then
   * draws again, as Optuna does.
   */
  cross(
    parents: readonly (readonly number[])[],
    bounds: readonly (readonly [number, number])[],
    rng: Rng,
    context: CrossoverContext,
  ): number[];
}

export type CrossoverName = "uniform" | "blxalpha" | "sbx" | "vsbx" | "undx" | "spx";

/**
 * Each coordinate from one of two parents (Syswerda 1989): the first's with probability
 * `swappingProb`, else the second's (as Optuna 3.1 draws it).
 */
export class UniformCrossover implements Crossover {
  readonly name = "uniform";
  readonly parents = 2;
  readonly swappingProb: number;

  /** `swappingProb` default 0.5. */
  constructor(options: { swappingProb?: number } = {}) {
    checkOptionKeys("UniformCrossover", options, ["swappingProb"]);
    this.swappingProb = checkProbability("UniformCrossover", "swappingProb", options.swappingProb ?? 0.5);
  }

  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    return bounds.map((_, i) => (rng.random() >= this.swappingProb ? parents[1][i] : parents[0][i]));
  }
}

/** Uniform in the parents' box widened by `alpha` times its width on each side (Eshelman and Schaffer 1992). */
export class BLXAlphaCrossover implements Crossover {
  readonly name = "blxalpha";
  readonly parents = 2;
  readonly alpha: number;

  /** `alpha` default 0.5. */
  constructor(options: { alpha?: number } = {}) {
    checkOptionKeys("BLXAlphaCrossover", options, ["alpha"]);
    this.alpha = checkNonNegative("BLXAlphaCrossover", "alpha", options.alpha ?? 0.5);
  }

  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    const [a, b] = parents;
    return bounds.map((_, i) => {
      const low = Math.min(a[i], b[i]);
      const high = Math.max(a[i], b[i]);
      const spread = this.alpha * (high - low);
      return low - spread + (high - low + 2 * spread) * rng.random();
    });
  }
}

/**
 * What SBX and vSBX share: a spread `eta` (default 20 with several objectives, 2 with one;
 * smaller spreads children further from the parents), two offspring per coordinate, and a
 * child that takes, per coordinate with probability ½, one of the two offspring (½ each)
 * or else one parent's value (½ each): Optuna makes one child where SBX makes two.
 */
abstract class SimulatedBinaryCrossover implements Crossover {
  abstract readonly name: "sbx" | "vsbx";
  readonly parents = 2;
  readonly eta: number | null;

  constructor(where: string, options: { eta?: number | null }) {
    checkOptionKeys(where, options, ["eta"]);
    this.eta = options.eta == null ? null : checkNonNegative(where, "eta", options.eta);
  }

  /** The two offspring of one coordinate whose parents' values are `a` and `b`, for the uniform draw `u`. */
  protected abstract pair(a: number, b: number, bound: readonly [number, number], eta: number, u: number): [number, number];

  cross(
    parents: readonly (readonly number[])[],
    bounds: readonly (readonly [number, number])[],
    rng: Rng,
    context: CrossoverContext,
  ): number[] {
    const [a, b] = parents;
    const eta = this.eta ?? (context.objectives > 1 ? 20 : 2);
    // Optuna draws every coordinate's u first, then the choices.
    const us = bounds.map(() => rng.random());
    return bounds.map((bound, i) => {
      const [c1, c2] = this.pair(a[i], b[i], bound, eta, us[i]);
      if (rng.random() < 0.5) return rng.random() < 0.5 ? c1 : c2;
      return rng.random() < 0.5 ? a[i] : b[i];
    });
  }
}

/** Simulated binary crossover (Deb and Agrawal 1995) with Optuna's bounded spread: both offspring stay within the bounds. */
export class SBXCrossover extends SimulatedBinaryCrossover {
  readonly name = "sbx";

  constructor(options: { eta?: number | null } = {}) {
    super("SBXCrossover", options);
  }

  protected pair(a: number, b: number, [lower, upper]: readonly [number, number], eta: number, u: number): [number, number] {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const gap = Math.max(high - low, 1e-10);
    // Optuna's alphas keep each offspring inside [lower, upper].
    const alpha1 = 2 - (1 + (2 * (low - lower)) / gap) ** -(eta + 1);
    const alpha2 = 2 - (1 + (2 * (upper - high)) / gap) ** -(eta + 1);
    const spread = (alpha: number) => (u > 1 / alpha ? 1 / (2 - u * alpha) : u * alpha) ** (1 / (eta + 1));
    return [0.5 * (low + high - spread(alpha1) * gap), 0.5 * (low + high + spread(alpha2) * gap)];
  }
}

/** vSBX (Ballester and Carter 2003): SBX whose offspring may land anywhere, between and around the parents alike. */
export class VSBXCrossover extends SimulatedBinaryCrossover {
  readonly name = "vsbx";

  constructor(options: { eta?: number | null } = {}) {
    super("VSBXCrossover", options);
  }

  protected pair(a: number, b: number, _bound: readonly [number, number], eta: number, u: number): [number, number] {
    const beta1 = (0.5 * u) ** (1 / (eta + 1));
    const beta2 = (0.5 * (1 - u)) ** (1 / (eta + 1));
    if (u > 0.5) return [0.5 * ((1 - beta1) * a + (1 + beta1) * b), 0.5 * (-(1 - beta2) * a + (3 - beta2) * b)];
    return [0.5 * ((1 + beta1) * a + (1 - beta1) * b), 0.5 * ((3 - beta2) * a - (1 - beta2) * b)];
  }
}

/**
 * Unimodal normal distribution crossover (Kita, Ono and Kobayashi 1999): a normal
 * spread along the line through the first two parents (`sigmaXi`, default 0.5) and,
 * scaled by the third parent's distance from that line, across it (`sigmaEta`, default
 * 0.35/√n for n parameters). As in Optuna, σ² is used as the normal's standard deviation.
 */
export class UNDXCrossover implements Crossover {
  readonly name = "undx";
  readonly parents = 3;
  readonly sigmaXi: number;
  readonly sigmaEta: number | null;

  constructor(options: { sigmaXi?: number; sigmaEta?: number | null } = {}) {
    checkOptionKeys("UNDXCrossover", options, ["sigmaXi", "sigmaEta"]);
    this.sigmaXi = checkNonNegative("UNDXCrossover", "sigmaXi", options.sigmaXi ?? 0.5);
    this.sigmaEta = options.sigmaEta == null ? null : checkNonNegative("UNDXCrossover", "sigmaEta", options.sigmaEta);
  }

  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    const n = bounds.length;
    const [x1, x2, x3] = parents;
    const sigmaEta = this.sigmaEta ?? 0.35 / Math.sqrt(n);
    // Optuna draws the n etas first, then xi.
    const etas = Array.from({ length: n }, () => rng.normal() * sigmaEta ** 2);
    const xi = rng.normal() * this.sigmaXi ** 2;
    const child = x1.map((v, i) => (v + x2[i]) / 2 + xi * (v - x2[i]));
    if (n === 1) return child;
    const direction = unitVector(x1.map((v, i) => x2[i] - v));
    const across = x3.map((v, i) => v - x1[i]);
    const along = dot(across, direction);
    const distance = Math.hypot(...across.map((v, i) => v - along * direction[i]));
    orthogonalBasis(direction).forEach((basis, k) => {
      for (let i = 0; i < n; i++) child[i] += distance * etas[k] * basis[i];
    });
    return child;
  }
}

/**
 * Simplex crossover (Tsutsui, Goldberg and Sastry 2000): uniform in the simplex of the
 * three parents expanded by `epsilon` about their centre (default √(n + 2) for n parameters).
 */
export class SPXCrossover implements Crossover {
  readonly name = "spx";
  readonly parents = 3;
  readonly epsilon: number | null;

  constructor(options: { epsilon?: number | null } = {}) {
    checkOptionKeys("SPXCrossover", options, ["epsilon"]);
    this.epsilon = options.epsilon == null ? null : checkNonNegative("SPXCrossover", "epsilon", options.epsilon);
  }

  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    const n = bounds.length;
    const k = parents.length - 1;
    const centre = bounds.map((_, i) => parents.reduce((sum, p) => sum + p[i], 0) / parents.length);
    const rs = Array.from({ length: k }, (_, j) => rng.random() ** (1 / (j + 1)));
    const epsilon = this.epsilon ?? Math.sqrt(n + 2);
    const expanded = parents.map((p) => p.map((v, i) => centre[i] + epsilon * (v - centre[i])));
    let c = new Array<number>(n).fill(0);
    for (let j = 1; j <= k; j++) c = c.map((v, i) => rs[j - 1] * (expanded[j - 1][i] - expanded[j][i] + v));
    return expanded[k].map((v, i) => v + c[i]);
  }
}

const CROSSOVERS: Record<CrossoverName, (swappingProb: number) => Crossover> = {
  uniform: (swappingProb) => new UniformCrossover({ swappingProb }),
  blxalpha: () => new BLXAlphaCrossover(),
  sbx: () => new SBXCrossover(),
  vsbx: () => new VSBXCrossover(),
  undx: () => new UNDXCrossover(),
  spx: () => new SPXCrossover(),
};

export const CROSSOVER_NAMES = Object.keys(CROSSOVERS) as CrossoverName[];

/** The crossover `spec` names (with its defaults; "uniform" swaps with `swappingProb`), or `spec` itself. */
export function resolveCrossover(where: string, spec: CrossoverName | Crossover, swappingProb: number): Crossover {
  if (typeof spec === "string") {
    const make = Object.hasOwn(CROSSOVERS, spec) ? CROSSOVERS[spec] : undefined;
    if (!make) {
      const near = closest(spec, CROSSOVER_NAMES);
      throw new ValueError(
        `${where}: unknown crossover ${show(spec)}; known crossovers: ${CROSSOVER_NAMES.join(", ")}.${near ? ` Did you mean ${show(near)}?` : ""}`,
      );
    }
    return make(swappingProb);
  }
  if (
    typeof spec !== "object" ||
    spec === null ||
    typeof spec.cross !== "function" ||
    !Number.isInteger(spec.parents) ||
    spec.parents < 2
  ) {
    throw new ValueError(
      `${where}: crossover must be one of ${CROSSOVER_NAMES.join(", ")} or a crossover such as new SBXCrossover({ eta: 10 }), got ${show(spec)}.`,
    );
  }
  return spec;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** `v` over its length (at least 1e-10, as Optuna clips it): the zero vector stays zero. */
function unitVector(v: readonly number[]): number[] {
  const length = Math.max(Math.hypot(...v), 1e-10);
  return v.map((x) => x / length);
}

/**
 * n − 1 orthonormal vectors orthogonal to the unit vector `direction` (Gram–Schmidt over
 * the coordinate axes). For the zero direction (equal parents), the axes 1 … n − 1, as
 * Optuna's QR of the identity gives. Any such basis gives the same distribution of
 * children: the normal spread across the line is the same in every direction.
 */
function orthogonalBasis(direction: readonly number[]): number[][] {
  const n = direction.length;
  const isZero = direction.every((x) => x === 0);
  const basis: number[][] = isZero ? [] : [[...direction]];
  for (let axis = isZero ? 1 : 0; axis < n && basis.length < (isZero ? n - 1 : n); axis++) {
    const v = Array.from({ length: n }, (_, i) => (i === axis ? 1 : 0));
    for (const b of basis) {
      const projection = dot(v, b);
      for (let i = 0; i < n; i++) v[i] -= projection * b[i];
    }
    const length = Math.hypot(...v);
    if (length > 1e-8) basis.push(v.map((x) => x / length));
  }
  return isZero ? basis : basis.slice(1);
}

export function checkProbability(where: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new ValueError(`${where}: ${name} must be a probability, a number from 0 to 1, got ${show(value)}.`);
  }
  return value;
}

function checkNonNegative(where: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new ValueError(`${where}: ${name} must be a finite number ≥ 0, got ${show(value)}.`);
  }
  return value;
}
