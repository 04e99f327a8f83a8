/**
 * Optuna's multi-objective samplers as the peer of the multi-objective benchmark, through
 * optuna_peer.py beside this file (Debian's python3-optuna, 3.1): on the problems of
 * problems.ts (`runOptunaMultiObjective`), or on an objective evaluated here in TypeScript
 * (`driveOptunaExternal`: Optuna asks, we answer). $TUNEBOOK_PYTHON overrides /usr/bin/python3.
 */
import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { StudyDirection } from "../../core/records.js";

const PYTHON = process.env.TUNEBOOK_PYTHON ?? "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./optuna_peer.py", import.meta.url));

/** Optuna's samplers by benchmark name: NSGAIISampler, TPESampler and RandomSampler, defaults and a seed. */
export type OptunaMultiObjectiveSampler = "nsga2" | "tpe" | "random";

/** Why the peer cannot run (no python3, or no Optuna in it), or false when it can. */
export function optunaPeerUnavailable(): string | false {
  try {
    // Finding the modules is enough, and much quicker than importing Optuna.
    const probe = "import importlib.util as u, sys; sys.exit(0 if u.find_spec('optuna') and u.find_spec('numpy') else 1)";
    execFileSync(PYTHON, ["-c", probe], { stdio: "pipe" });
    return false;
  } catch {
    return `${PYTHON} with python3-optuna is not available (apt-get install -y python3-optuna)`;
  }
}

export interface OptunaQualityOptions {
  /** Problem names of problems.ts; default all. */
  problems?: readonly string[];
  /** Default all three. */
  samplers?: readonly OptunaMultiObjectiveSampler[];
  /** Seeds firstSeed … firstSeed + seeds − 1; default 20 from 0. */
  seeds?: number;
  firstSeed?: number;
  /** Trial counts at which the hypervolume is taken; default 50, 100, 200. */
  budgets?: readonly number[];
}

export interface OptunaQualityResult {
  problem: string;
  sampler: OptunaMultiObjectiveSampler;
  seed: number;
  /** By budget: hypervolume of the feasible complete trials among the first `budget`, w.r.t. the problem's reference point. */
  hypervolume: Record<string, number>;
  /** By budget: how many of those trials were feasible. */
  feasible: Record<string, number>;
  /** Median over the trials of the wall time of study.ask() and the trial's suggest calls. */
  ms_per_suggestion: number;
  /** The same in the Python process's CPU time. */
  cpu_ms_per_suggestion: number;
  /** Every trial's values, in trial order (all minimised). */
  values: number[][];
  /** Whether each trial was feasible. */
  feasibles: boolean[];
}

export interface OptunaQuality {
  kind: "quality";
  optuna: string;
  results: OptunaQualityResult[];
}

/**
 * Runs Optuna's samplers on the problems (one Python process; resolves when all are done),
 * so that our samplers can run side by side meanwhile.
 */
export function runOptunaMultiObjective(options: OptunaQualityOptions = {}): Promise<OptunaQuality> {
  const args = ["quality", "--seeds", String(options.seeds ?? 20), "--first-seed", String(options.firstSeed ?? 0)];
  if (options.problems) args.push("--problems", options.problems.join(","));
  if (options.samplers) args.push("--samplers", options.samplers.join(","));
  if (options.budgets) args.push("--budgets", options.budgets.join(","));
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out) as OptunaQuality);
      else reject(new Error(`optuna_peer.py ${args.join(" ")} exited with ${code}: ${err.trim()}`));
    });
  });
}

export interface OptunaProblemCheck {
  kind: "check";
  optuna: string;
  /** How optuna_peer.py defines each problem. */
  problems: Record<
    string,
    {
      params: { name: string; low: number; high: number }[];
      directions: StudyDirection[];
      reference_point: number[];
      true_front_hypervolume: number;
      constrained: boolean;
    }
  >;
  /** Per problem, the peer's values and constraints (null when unconstrained) at each given point. */
  values: Record<string, { values: number[]; constraints: number[] | null }[]>;
  /** Per problem, the peer's hypervolume of the feasible values among those points. */
  hypervolume: Record<string, number>;
}

/** The Python twins' definitions, and their values at the given parameters (keyed by problem name). */
export function checkOptunaProblems(points: Record<string, Record<string, number>[]>): OptunaProblemCheck {
  const out = execFileSync(PYTHON, [SCRIPT, "check"], { input: JSON.stringify({ points }), encoding: "utf8", maxBuffer: 256 << 20 });
  return JSON.parse(out) as OptunaProblemCheck;
}

/** One parameter of an external search space, as Optuna suggests it. */
export type ExternalParam =
  | { low: number; high: number; log?: boolean; int?: boolean; step?: number }
  | { choices: readonly (string | number | boolean | null)[] };

export type ExternalParamValue = string | number | boolean | null;

export interface ExternalOptions {
  /** A label for the result, e.g. "digits-size". */
  problem: string;
  space: Record<string, ExternalParam>;
  directions: readonly StudyDirection[];
  sampler: OptunaMultiObjectiveSampler;
  seed: number;
  trials: number;
  /** Each answer carries constraints, handed to the sampler's constraints_func (nsga2, tpe). Default false. */
  constrained?: boolean;
  /** In the directions' own orientation; with it the result has the hypervolume at each budget. */
  referencePoint?: readonly number[];
  /** Default [trials]. */
  budgets?: readonly number[];
}

/**
 * What the objective gives back: one value per direction (NaN makes Optuna fail the trial,
 * ±Infinity is kept, as Optuna's tell does) and, when constrained, the constraint values
 * (≤ 0 is feasible). `values: null` fails the trial.
 */
export interface ExternalAnswer {
  values: readonly number[] | null;
  constraints?: readonly number[];
}

export interface OptunaExternalRun {
  kind: "external";
  problem: string;
  sampler: OptunaMultiObjectiveSampler;
  seed: number;
  optuna: string;
  ms_per_suggestion: number;
  cpu_ms_per_suggestion: number;
  /** Values that were not finite are null here (the trial's state tells what Optuna made of them). */
  trials: {
    number: number;
    state: "COMPLETE" | "FAIL";
    params: Record<string, ExternalParamValue>;
    values: (number | null)[] | null;
    constraints: number[] | null;
  }[];
  /** With a reference point: by budget, the hypervolume of the feasible complete trials among the first `budget`. */
  hypervolume?: Record<string, number>;
  feasible?: Record<string, number>;
}

/** JSON, except that non-finite numbers are written as Python's json module reads them. */
function pythonNumbers(values: readonly number[]): string {
  return `[${values.map((v) => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : JSON.stringify(v))).join(",")}]`;
}

/**
 * Runs an Optuna study whose objective is `evaluate`: Optuna's sampler suggests each trial's
 * parameters in the Python process, `evaluate` computes the values here, and Optuna is told
 * them. Trials run one at a time. If `evaluate` throws, the Python process is stopped and
 * the error is re-thrown.
 */
export async function driveOptunaExternal(
  options: ExternalOptions,
  evaluate: (params: Record<string, ExternalParamValue>, number: number) => ExternalAnswer | Promise<ExternalAnswer>,
): Promise<OptunaExternalRun> {
  const args = [
    SCRIPT,
    "external",
    "--problem",
    options.problem,
    "--space",
    JSON.stringify(options.space),
    "--directions",
    options.directions.join(","),
    "--sampler",
    options.sampler,
    "--seed",
    String(options.seed),
    "--trials",
    String(options.trials),
  ];
  if (options.constrained) args.push("--constrained");
  if (options.referencePoint) args.push("--reference-point", options.referencePoint.join(","));
  if (options.budgets) args.push("--budgets", options.budgets.join(","));

  const child = spawn(PYTHON, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  // A write after the child has gone fails with EPIPE; the exit status reports why.
  child.stdin.on("error", () => {});

  let result: OptunaExternalRun | undefined;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.trim() === "") continue;
      const message = JSON.parse(line) as { ask?: Record<string, ExternalParamValue>; number?: number; kind?: string };
      if (message.ask !== undefined) {
        const answer = await evaluate(message.ask, message.number ?? -1);
        const values = answer.values === null ? "null" : pythonNumbers(answer.values);
        const constraints = answer.constraints === undefined ? "null" : pythonNumbers(answer.constraints);
        child.stdin.write(`{"values":${values},"constraints":${constraints}}\n`);
      } else if (message.kind === "external") {
        result = message as unknown as OptunaExternalRun;
      }
    }
  } catch (error) {
    child.kill();
    await exited.catch(() => null);
    throw error;
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0 || result === undefined) {
    throw new Error(`optuna_peer.py external (${options.problem}) exited with ${code}: ${stderr.trim() || "no result"}`);
  }
  return result;
}

export interface OptunaHypervolumeTiming {
  kind: "hypervolume";
  optuna: string;
  /** Per set: Optuna's hypervolume of it, and the median CPU ms of computing it. */
  results: Record<string, { hypervolume: number; cpu_ms: number }>;
}

/** Optuna 3.1's hypervolume (WFG, after its non-dominated filter) on each set of minimised points, timed. */
export function timeOptunaHypervolume(
  sets: Record<string, readonly (readonly number[])[]>,
  referencePoint: readonly number[],
  repeats: number,
): OptunaHypervolumeTiming {
  const input = JSON.stringify({ sets, reference_point: referencePoint, repeats });
  const out = execFileSync(PYTHON, [SCRIPT, "hypervolume"], { input, encoding: "utf8", maxBuffer: 256 << 20 });
  return JSON.parse(out) as OptunaHypervolumeTiming;
}
