/**
 * Benchmark objectives for the samplers, all minimised. The suite is the seven
 * functions of ../shared/bench/functions.json, with the formulas exactly as
 * optuna_reference.py computes them (so regrets compare one to one). The extra
 * objectives are outside that suite, to check that what wins on it generalises:
 * other dimensions, integer-heavy and conditional spaces. Each extra one carries
 * the same function in Python, for running Optuna on it in the same benchmark.
 */
import type { CategoricalChoice } from "../core/records.js";

/** What an objective asks of a trial (the subset of `Trial` it uses). */
export interface Suggest {
  suggestFloat(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestInt(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T;
}

export interface BenchObjective {
  name: string;
  /** Known global minimum; regret = best value found − optimum. */
  optimum: number;
  /** In ../shared/bench/functions.json (run there by optuna_reference.py). */
  suite: boolean;
  /** Short description for the table. */
  about: string;
  evaluate(trial: Suggest): number;
  /** The same objective in Python: a body of `def objective(trial):` (extra objectives only). */
  python?: string;
}

const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

function floats(trial: Suggest, d: number, low: number, high: number): number[] {
  const x: number[] = [];
  for (let j = 0; j < d; j++) x.push(trial.suggestFloat(`x${j}`, low, high));
  return x;
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

const MC_BASE: Record<string, number> = { rf: 0.0, knn: 0.3, svm: 0.1, logreg: 0.6 };
const MC_SHIFT: Record<string, number> = { rf: 0.7, knn: -0.4, svm: 0.2, logreg: -0.8 };

const SUITE: BenchObjective[] = [
  {
    name: "branin",
    optimum: 0.397887357729738,
    suite: true,
    about: "2-D, three global minima",
    evaluate(trial) {
      const x1 = trial.suggestFloat("x1", -5, 10);
      const x2 = trial.suggestFloat("x2", 0, 15);
      const b = 5.1 / (4 * Math.PI ** 2);
      const c = 5 / Math.PI;
      const t = 1 / (8 * Math.PI);
      return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
    },
  },
  {
    name: "hartmann6",
    optimum: -3.322368011415515,
    suite: true,
    about: "6-D, several local minima",
    evaluate(trial) {
      const x = floats(trial, 6, 0, 1);
      return -sum(H6_ALPHA.map((alpha, i) => alpha * Math.exp(-sum(x.map((xj, j) => H6_A[i][j] * (xj - H6_P[i][j]) ** 2)))));
    },
  },
  {
    name: "rosenbrock4",
    optimum: 0,
    suite: true,
    about: "4-D, curved valley",
    evaluate(trial) {
      const x = floats(trial, 4, -2.048, 2.048);
      let s = 0;
      for (let i = 0; i < 3; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
      return s;
    },
  },
  {
    name: "ackley5",
    optimum: 0,
    suite: true,
    about: "5-D, many local minima",
    evaluate(trial) {
      const x = floats(trial, 5, -32.768, 32.768);
      const d = x.length;
      return (
        -20 * Math.exp(-0.2 * Math.sqrt(sum(x.map((v) => v * v)) / d)) -
        Math.exp(sum(x.map((v) => Math.cos(2 * Math.PI * v))) / d) +
        20 +
        Math.E
      );
    },
  },
  {
    name: "styblinski_tang4",
    optimum: -156.66466281508238,
    suite: true,
    about: "4-D, 2^4 local minima",
    evaluate(trial) {
      const x = floats(trial, 4, -5, 5);
      return 0.5 * sum(x.map((v) => v ** 4 - 16 * v ** 2 + 5 * v));
    },
  },
  {
    name: "logscale_quadratic",
    optimum: 0,
    suite: true,
    about: "2 log floats + 1 int",
    evaluate(trial) {
      const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
      const reg = trial.suggestFloat("reg", 1e-8, 10, { log: true });
      const depth = trial.suggestInt("depth", 1, 16);
      return (Math.log10(lr) + 2.5) ** 2 + (Math.log10(reg) + 4) ** 2 / 4 + (0.3 * (depth - 7) ** 2) / 9;
    },
  },
  {
    name: "mixed_categorical",
    optimum: 0,
    suite: true,
    about: "categorical + float + int",
    evaluate(trial) {
      const algo = trial.suggestCategorical("algo", ["rf", "knn", "svm", "logreg"]);
      const x = trial.suggestFloat("x", -1, 1);
      const n = trial.suggestInt("n", 1, 100);
      return MC_BASE[algo] + (x - MC_SHIFT[algo]) ** 2 + (0.05 * Math.abs(n - 40)) / 10;
    },
  },
];

const H3_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H3_A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
];
const H3_P = [
  [0.3689, 0.117, 0.2673],
  [0.4699, 0.4387, 0.747],
  [0.1091, 0.8732, 0.5547],
  [0.0381, 0.5743, 0.8828],
];
const ELLIPSOID_D = 8;

const EXTRA: BenchObjective[] = [
  {
    name: "six_hump_camel",
    optimum: -1.031628453489877,
    suite: false,
    about: "2-D, two global minima",
    evaluate(trial) {
      const x = trial.suggestFloat("x", -3, 3);
      const y = trial.suggestFloat("y", -2, 2);
      return (4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y + (-4 + 4 * y ** 2) * y ** 2;
    },
    python: `x = trial.suggest_float("x", -3, 3)
y = trial.suggest_float("y", -2, 2)
return (4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y + (-4 + 4 * y ** 2) * y ** 2`,
  },
  {
    name: "hartmann3",
    optimum: -3.86278214782076,
    suite: false,
    about: "3-D, four local minima",
    evaluate(trial) {
      const x = floats(trial, 3, 0, 1);
      return -sum(H3_ALPHA.map((alpha, i) => alpha * Math.exp(-sum(x.map((xj, j) => H3_A[i][j] * (xj - H3_P[i][j]) ** 2)))));
    },
    python: `import math
alpha = ${JSON.stringify(H3_ALPHA)}
A = ${JSON.stringify(H3_A)}
P = ${JSON.stringify(H3_P)}
x = [trial.suggest_float("x%d" % j, 0, 1) for j in range(3)]
return -sum(alpha[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(3))) for i in range(4))`,
  },
  {
    name: "ellipsoid8",
    optimum: 0,
    suite: false,
    about: "8-D, ill-conditioned, shifted",
    evaluate(trial) {
      const x = floats(trial, ELLIPSOID_D, -5, 5);
      let s = 0;
      for (let i = 0; i < ELLIPSOID_D; i++) s += 10 ** ((2 * i) / (ELLIPSOID_D - 1)) * (x[i] - (1.5 - 0.4 * i)) ** 2;
      return s;
    },
    python: `d = ${ELLIPSOID_D}
x = [trial.suggest_float("x%d" % j, -5, 5) for j in range(d)]
return sum(10 ** ((2 * i) / (d - 1)) * (x[i] - (1.5 - 0.4 * i)) ** 2 for i in range(d))`,
  },
  {
    name: "int_heavy",
    optimum: 0,
    suite: false,
    about: "4 ints (1 log) + stepped float",
    evaluate(trial) {
      const nEstimators = trial.suggestInt("n_estimators", 10, 2000, { log: true });
      const depth = trial.suggestInt("max_depth", 1, 20);
      const minChild = trial.suggestInt("min_child", 1, 100);
      const leaves = trial.suggestInt("leaves", 2, 256, { step: 2 });
      const subsample = trial.suggestFloat("subsample", 0.3, 1.0, { step: 0.05 });
      const a = (depth - 8) / 4;
      const b = (Math.log2(leaves) - 6) / 2;
      return (
        2 * Math.log10(nEstimators / 400) ** 2 +
        a * a +
        b * b +
        0.5 * a * b +
        Math.log(minChild / 12) ** 2 / 2 +
        ((subsample - 0.8) / 0.2) ** 2
      );
    },
    python: `import math
n_estimators = trial.suggest_int("n_estimators", 10, 2000, log=True)
depth = trial.suggest_int("max_depth", 1, 20)
min_child = trial.suggest_int("min_child", 1, 100)
leaves = trial.suggest_int("leaves", 2, 256, step=2)
subsample = trial.suggest_float("subsample", 0.3, 1.0, step=0.05)
a = (depth - 8) / 4
b = (math.log2(leaves) - 6) / 2
return 2 * math.log10(n_estimators / 400) ** 2 + a * a + b * b + 0.5 * a * b + math.log(min_child / 12) ** 2 / 2 + ((subsample - 0.8) / 0.2) ** 2`,
  },
  {
    name: "conditional",
    optimum: 0,
    suite: false,
    about: "algorithm choice, per-branch params",
    evaluate(trial) {
      const model = trial.suggestCategorical("model", ["svm", "forest", "knn"]);
      if (model === "svm") {
        const c = trial.suggestFloat("svm_c", 1e-3, 1e3, { log: true });
        const gamma = trial.suggestFloat("svm_gamma", 1e-5, 10, { log: true });
        return 0.05 + ((Math.log10(c) - 1.5) ** 2 + (Math.log10(gamma) + 2.5) ** 2) / 10;
      }
      if (model === "forest") {
        const trees = trial.suggestInt("forest_trees", 10, 1000, { log: true });
        const depth = trial.suggestInt("forest_depth", 2, 32);
        return Math.log10(trees / 300) ** 2 / 2 + ((depth - 12) / 10) ** 2;
      }
      const k = trial.suggestInt("knn_k", 1, 50);
      const weights = trial.suggestCategorical("knn_weights", ["uniform", "distance"]);
      return 0.1 + ((k - 15) / 10) ** 2 + (weights === "uniform" ? 0.05 : 0);
    },
    python: `import math
model = trial.suggest_categorical("model", ["svm", "forest", "knn"])
if model == "svm":
    c = trial.suggest_float("svm_c", 1e-3, 1e3, log=True)
    gamma = trial.suggest_float("svm_gamma", 1e-5, 10, log=True)
    return 0.05 + ((math.log10(c) - 1.5) ** 2 + (math.log10(gamma) + 2.5) ** 2) / 10
if model == "forest":
    trees = trial.suggest_int("forest_trees", 10, 1000, log=True)
    depth = trial.suggest_int("forest_depth", 2, 32)
    return math.log10(trees / 300) ** 2 / 2 + ((depth - 12) / 10) ** 2
k = trial.suggest_int("knn_k", 1, 50)
weights = trial.suggest_categorical("knn_weights", ["uniform", "distance"])
return 0.1 + ((k - 15) / 10) ** 2 + (0.05 if weights == "uniform" else 0)`,
  },
];

export const OBJECTIVES: readonly BenchObjective[] = [...SUITE, ...EXTRA];

export function objectiveByName(name: string): BenchObjective {
  const found = OBJECTIVES.find((o) => o.name === name);
  if (!found) throw new Error(`unknown objective ${JSON.stringify(name)}; known: ${OBJECTIVES.map((o) => o.name).join(", ")}`);
  return found;
}
