/**
 * Multi-objective benchmark problems, every objective minimised, every parameter a float.
 * optuna_peer.py implements the same formulas for Optuna (test/bench/multiobjective-peer
 * compares the two on random points). Constraints follow Optuna's convention: a trial is
 * feasible when every constraint value is ≤ 0.
 *
 * `trueFrontHypervolume` is the hypervolume of the whole true Pareto front w.r.t.
 * `referencePoint`, the ceiling of what any sampler can reach; each value says how it was
 * obtained, and test/bench/multiobjective-problems brackets it with dense samples of the front.
 *
 * Sources: ZDT — Zitzler, Deb and Thiele 2000; DTLZ2 — Deb, Thiele, Laumanns and Zitzler
 * 2005; WFG4 — Huband, Hingston, Barone and While 2006 (checked against DEAP's WFG4 on
 * 20,000 random points: equal within 1e-15); Binh and Korn 1997.
 */
import type { StudyDirection } from "../../core/records.js";

export interface FloatParam {
  name: string;
  low: number;
  high: number;
}

export interface MultiObjectiveProblem {
  /** The name on the command line, in optuna_peer.py and in tables. */
  name: string;
  /** Short description for tables. */
  about: string;
  /** One per objective; all "minimize". */
  directions: readonly StudyDirection[];
  /** Uniform floats, suggested in this order. */
  params: readonly FloatParam[];
  objectives(x: Readonly<Record<string, number>>): number[];
  /** Constraint values, feasible when every one is ≤ 0 (Optuna's convention); absent when unconstrained. */
  constraints?(x: Readonly<Record<string, number>>, values: readonly number[]): number[];
  /** Worst acceptable value of each objective; points not strictly better in all of them add nothing. */
  referencePoint: readonly number[];
  /** Hypervolume of the true Pareto front w.r.t. `referencePoint`. */
  trueFrontHypervolume: number;
  /**
   * A second, wider reference point where the standard one lets few trials count within
   * small budgets (ZDT's [1.1, 1.1]: most samplers score 0 there at 200 trials), so the
   * tables can rank samplers by more than zeros.
   */
  wide?: { referencePoint: readonly number[]; trueFrontHypervolume: number };
  /**
   * Parameters whose objective values lie on the true front, for u ∈ [0,1]^(objectives − 1);
   * as u sweeps that box the values cover the whole front (not evenly). For ZDT3 they cover
   * the curve f2 = 1 − √f1 − f1·sin(10πf1), f1 ∈ [0,1], whose five Pareto-optimal arcs are
   * the front and the rest is dominated.
   */
  frontParams(u: readonly number[]): Record<string, number>;
}

/** What a problem asks of a trial. */
export interface SuggestFloat {
  suggestFloat(name: string, low: number, high: number): number;
}

/** Suggests every parameter of the problem, in order. */
export function suggestParams(trial: SuggestFloat, problem: MultiObjectiveProblem): Record<string, number> {
  const x: Record<string, number> = {};
  for (const p of problem.params) x[p.name] = trial.suggestFloat(p.name, p.low, p.high);
  return x;
}

/** True when every constraint value is ≤ 0 (or there are none). */
export function isFeasible(constraints: readonly number[] | undefined): boolean {
  return constraints === undefined || constraints.every((c) => c <= 0);
}

const HALF_PI = Math.PI / 2;

function floats(n: number, high: (i: number) => number = () => 1): FloatParam[] {
  return Array.from({ length: n }, (_, i) => ({ name: `x${i}`, low: 0, high: high(i) }));
}

function vector(x: Readonly<Record<string, number>>, n: number): number[] {
  return Array.from({ length: n }, (_, i) => x[`x${i}`]);
}

function named(values: readonly number[]): Record<string, number> {
  return Object.fromEntries(values.map((v, i) => [`x${i}`, v]));
}

/** ZDT's distance function: 1 at the front (x1… = 0), up to 10. */
function zdtG(x: readonly number[]): number {
  let sum = 0;
  for (let i = 1; i < x.length; i++) sum += x[i];
  return 1 + (9 * sum) / (x.length - 1);
}

const ZDT_N = 8;

function zdt(name: string, about: string, h: (f1: number, g: number) => number, trueFrontHypervolume: number): MultiObjectiveProblem {
  return {
    name,
    about,
    directions: ["minimize", "minimize"],
    params: floats(ZDT_N),
    objectives(p) {
      const x = vector(p, ZDT_N);
      const g = zdtG(x);
      return [x[0], g * h(x[0], g)];
    },
    referencePoint: [1.1, 1.1],
    trueFrontHypervolume,
    // f2 ≤ g ≤ 10 everywhere, so [1.1, 10] counts every trial. Each front starts at (0, 1),
    // which dominates the whole strip [0, 1.1] × [1.1, 10] the wider point adds.
    wide: { referencePoint: [1.1, 10], trueFrontHypervolume: trueFrontHypervolume + 1.1 * (10 - 1.1) },
    frontParams: (u) => named([u[0], ...new Array<number>(ZDT_N - 1).fill(0)]),
  };
}

/**
 * ZDT1: convex front f2 = 1 − √f1, f1 ∈ [0,1]. Analytic hypervolume:
 * ∫₀¹ (1.1 − (1 − √t)) dt + 0.1·1.1 = 0.1 + 2/3 + 0.11.
 */
const ZDT1 = zdt("zdt1", "2 objectives, 8 floats, convex front", (f1, g) => 1 - Math.sqrt(f1 / g), 0.21 + 2 / 3);

/** ZDT2: concave front f2 = 1 − f1², f1 ∈ [0,1]. Analytic: ∫₀¹ (0.1 + t²) dt + 0.11 = 0.1 + 1/3 + 0.11. */
const ZDT2 = zdt("zdt2", "2 objectives, 8 floats, concave front", (f1, g) => 1 - (f1 / g) ** 2, 0.21 + 1 / 3);

/**
 * ZDT3: front of five disconnected arcs of f2 = 1 − √f1 − f1·sin(10πf1) (f2 down to −0.7734).
 * Hypervolume by numerical integration with mpmath at 40 digits: m(t), the running minimum
 * of that curve, follows the arcs f1 ∈ [0, 0.0830015], [0.1822287, 0.2577624],
 * [0.4093137, 0.4538821], [0.6183968, 0.6525117], [0.8233318, 0.8518329] (their ends are
 * roots of the curve's derivative and of its crossings of the level reached so far) and is
 * flat between them; ∫₀^1.1 (1.1 − m(t)) dt by tanh-sinh quadrature on the arcs = 1.33176290865702012188.
 */
const ZDT3 = zdt(
  "zdt3",
  "2 objectives, 8 floats, five disconnected arcs",
  (f1, g) => 1 - Math.sqrt(f1 / g) - (f1 / g) * Math.sin(10 * Math.PI * f1),
  1.3317629086570201,
);

const DTLZ2_N = 6;

/**
 * DTLZ2, 3 objectives, 6 variables (k = 4 distance variables): the front is the unit
 * sphere in the positive orthant. Analytic hypervolume: the cube [0,1.1]³ less the eighth of
 * the unit ball the front does not dominate, 1.1³ − π/6.
 */
const DTLZ2: MultiObjectiveProblem = {
  name: "dtlz2",
  about: "3 objectives, 6 floats, spherical front",
  directions: ["minimize", "minimize", "minimize"],
  params: floats(DTLZ2_N),
  objectives(p) {
    const x = vector(p, DTLZ2_N);
    let g = 0;
    for (let i = 2; i < DTLZ2_N; i++) g += (x[i] - 0.5) ** 2;
    const a = x[0] * HALF_PI;
    const b = x[1] * HALF_PI;
    return [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)];
  },
  referencePoint: [1.1, 1.1, 1.1],
  trueFrontHypervolume: 1.1 ** 3 - Math.PI / 6,
  frontParams: (u) => named([u[0], u[1], 0.5, 0.5, 0.5, 0.5]),
};

/** Huband et al.'s toolkit: values within epsilon outside [0, 1] are rounding errors. */
function correctTo01(a: number, epsilon = 1e-10): number {
  if (a <= 0 && a >= -epsilon) return 0;
  if (a >= 1 && a <= 1 + epsilon) return 1;
  return a;
}

/** Multi-modal shift s_multi(y, A, B, C): 0 at y = C, with A − 1 local minima besides (Huband et al. 2006). */
function sMulti(y: number, a: number, b: number, c: number): number {
  const tmp1 = Math.abs(y - c) / (2 * (Math.floor(c - y) + c));
  const tmp2 = (4 * a + 2) * Math.PI * (0.5 - tmp1);
  return correctTo01((1 + Math.cos(tmp2) + 4 * b * tmp1 ** 2) / (b + 2));
}

/** Weighted-sum reduction r_sum with equal weights. */
function rSum(y: readonly number[]): number {
  let sum = 0;
  for (const v of y) sum += v;
  return correctTo01(sum / y.length);
}

const WFG4_K = 2;
const WFG4_N = 6;
/** s_multi at a distance variable's optimum, 0.35 of its range. */
const WFG4_OPTIMUM = 0.35;

/**
 * WFG4, 2 objectives, k = 2 position and l = 4 distance variables, x_i ∈ [0, 2i]
 * (named x0…x5): y = s_multi(x_i / 2i, 30, 10, 0.35) for all i, then t₁ = r_sum(y₁, y₂),
 * t₂ = r_sum(y₃…y₆); the concave shape with A = 1, D = 1, S = (2, 4) gives
 * f1 = t₂ + 2 sin(t₁π/2), f2 = t₂ + 4 cos(t₁π/2). The front (t₂ = 0, distance variables at
 * 0.35 of their range) is the quarter ellipse (f1/2)² + (f2/4)² = 1. Analytic hypervolume:
 * the box [0,3]×[0,5] less the quarter ellipse's area 2·4·π/4, i.e. 15 − 2π.
 */
const WFG4: MultiObjectiveProblem = {
  name: "wfg4",
  about: "2 objectives, 6 floats, multi-modal, concave front",
  directions: ["minimize", "minimize"],
  params: floats(WFG4_N, (i) => 2 * (i + 1)),
  objectives(p) {
    const z = vector(p, WFG4_N);
    const y = z.map((v, i) => sMulti(v / (2 * (i + 1)), 30, 10, WFG4_OPTIMUM));
    const t1 = rSum(y.slice(0, WFG4_K));
    const t2 = rSum(y.slice(WFG4_K));
    // x₁ = max(t₂, A₁)(t₁ − 0.5) + 0.5 with A₁ = 1 is t₁; x₂ = t₂.
    return [t2 + 2 * Math.sin(t1 * HALF_PI), t2 + 4 * Math.cos(t1 * HALF_PI)];
  },
  referencePoint: [3, 5],
  trueFrontHypervolume: 15 - 2 * Math.PI,
  // Both position variables at u·0.35 of their range: s_multi runs from 1 down to 0 (not monotonically).
  frontParams: (u) => named(Array.from({ length: WFG4_N }, (_, i) => 2 * (i + 1) * WFG4_OPTIMUM * (i < WFG4_K ? u[0] : 1))),
};

/**
 * Binh and Korn, 2 objectives, x0 ∈ [0,5], x1 ∈ [0,3], two constraints (inactive on the
 * front). The Pareto set is x0 = x1 ∈ [0,3], then x1 = 3, x0 ∈ [3,5] (confirmed on a
 * 3001×1801 grid). Analytic hypervolume: on x0 = x1 = t, f1 = 8t², f2 = 2(5 − t)², the area
 * ∫₀³ (50 − 2(5 − t)²)·16t dt = 2232; on x1 = 3, f1 = 4s² + 36, f2 = (s − 5)² + 4,
 * ∫₃⁵ (46 − (s − 5)²)·8s ds = 8608/3; then f1 from 136 to 140 at f2 = 4 adds 184: 15856/3.
 */
const BINH_KORN: MultiObjectiveProblem = {
  name: "binh_korn",
  about: "2 objectives, 2 floats, 2 constraints",
  directions: ["minimize", "minimize"],
  params: [
    { name: "x0", low: 0, high: 5 },
    { name: "x1", low: 0, high: 3 },
  ],
  objectives: ({ x0, x1 }) => [4 * x0 ** 2 + 4 * x1 ** 2, (x0 - 5) ** 2 + (x1 - 5) ** 2],
  constraints: ({ x0, x1 }) => [(x0 - 5) ** 2 + x1 ** 2 - 25, 7.7 - (x0 - 8) ** 2 - (x1 + 3) ** 2],
  referencePoint: [140, 50],
  trueFrontHypervolume: 15856 / 3,
  frontParams: (u) => ({ x0: 5 * u[0], x1: Math.min(5 * u[0], 3) }),
};

export const PROBLEMS: readonly MultiObjectiveProblem[] = [ZDT1, ZDT2, ZDT3, DTLZ2, WFG4, BINH_KORN];

export function problemByName(name: string): MultiObjectiveProblem {
  const problem = PROBLEMS.find((p) => p.name === name);
  if (!problem) throw new Error(`Unknown multi-objective problem "${name}"; choose from ${PROBLEMS.map((p) => p.name).join(", ")}.`);
  return problem;
}
