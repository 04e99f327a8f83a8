/**
 * Multi-objective benchmark, side by side with Optuna 3.1 in one run.
 *
 *   npm run bench:multiobjective -- [--seeds 20] [--first-seed 0] [--budgets 50,100,200]
 *     [--problems zdt1,…,digits_size] [--samplers default,nsga2,nsga3,tpe,gp] [--gp-budget 100]
 *     [--optuna-samplers nsga2,tpe] [--workers 1] [--no-optuna] [--out bench/results/multiobjective.json]
 *
 * Problems: ZDT1–3 (8 floats), DTLZ2 (3 objectives), WFG4, Binh–Korn (constrained) from
 * bench/multiobjective/problems.ts, and the digits accuracy-against-size task
 * (bench/multiobjective/digits-size.ts). Each sampler runs each problem once per seed,
 * in ask-and-tell form as the peer does; the hypervolume after each budget is that of
 * the feasible trials among the first `budget`, w.r.t. the problem's reference point
 * (and, for ZDT, a wider one where the standard [1.1, 1.1] lets few trials count).
 * Tables show medians over seeds, the gap to the true front's hypervolume where it is
 * known, and the time per suggestion: the CPU time of `ask()` plus the trial's suggest
 * calls, median over the trials, then over seeds (CPU time, so other load on the machine
 * counts for neither side).
 *
 * Optuna's NSGAIISampler and multi-objective TPESampler run the same problems and seeds in
 * their own process meanwhile (bench/multiobjective/optuna_peer.py; the digits task through
 * its `external` mode, Optuna asking and this process evaluating). NSGA-III runs only on
 * three or more objectives (Optuna 3.1 has none). GPSampler stops at --gp-budget trials
 * (its later cells show "—"); the default sampler hands over from GP to TPE itself.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hypervolume } from "../core/math/hypervolume.js";
import { normalSf } from "../core/math/normal.js";
import { rankData } from "../core/math/ranks.js";
import type { StudyDirection } from "../core/records.js";
import type { Sampler } from "../tune/samplers/sampler.js";
import { list, positiveIntegers, readOptions } from "./args.js";
import {
  DIGITS_SIZE,
  DIGITS_SIZE_DIRECTIONS,
  DIGITS_SIZE_REFERENCE_POINT,
  DIGITS_SIZE_SPACE,
  evaluateDigitsSize,
  suggestFromSpace,
} from "./multiobjective/digits-size.js";
import {
  driveOptunaExternal,
  type OptunaMultiObjectiveSampler,
  optunaPeerUnavailable,
  runOptunaMultiObjective,
  timeOptunaHypervolume,
} from "./multiobjective/peer.js";
import { isFeasible, PROBLEMS, problemByName, suggestParams } from "./multiobjective/problems.js";
import { median } from "./peer.js";
import { runPool, serveTasks } from "./pool.js";

const SELF = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SELF), "..");

const OUR_SAMPLERS = ["default", "nsga2", "nsga3", "tpe", "gp"] as const;
type OurSampler = (typeof OUR_SAMPLERS)[number];
const OPTUNA_SAMPLERS: readonly OptunaMultiObjectiveSampler[] = ["nsga2", "tpe"];

/** A problem as the benchmark sees it: every objective minimised once its values are read. */
interface BenchProblem {
  name: string;
  about: string;
  directions: readonly StudyDirection[];
  /** Standard reference point, minimised orientation. */
  referencePoint: readonly number[];
  trueFrontHypervolume: number | null;
  wide: { referencePoint: readonly number[]; trueFrontHypervolume: number } | null;
}

function benchProblems(): BenchProblem[] {
  const problems: BenchProblem[] = PROBLEMS.map((p) => ({
    name: p.name,
    about: p.about,
    directions: p.directions,
    referencePoint: p.referencePoint,
    trueFrontHypervolume: p.trueFrontHypervolume,
    wide: p.wide ?? null,
  }));
  problems.push({
    name: DIGITS_SIZE,
    about: "decision tree on digits: hold-out accuracy vs node count, 4 mixed parameters",
    directions: DIGITS_SIZE_DIRECTIONS,
    referencePoint: minimised(DIGITS_SIZE_REFERENCE_POINT, DIGITS_SIZE_DIRECTIONS),
    trueFrontHypervolume: null,
    wide: null,
  });
  return problems;
}

/** Values in minimisation form: maximised objectives negated. */
function minimised(values: readonly number[], directions: readonly StudyDirection[]): number[] {
  return values.map((v, i) => (directions[i] === "maximize" ? -v : v));
}

// ---------------------------------------------------------------- one run of ours (in a worker)

interface Task {
  problem: string;
  sampler: OurSampler;
  seed: number;
  trials: number;
}

interface Run {
  problem: string;
  sampler: string;
  seed: number;
  /** Every trial's values, minimised, in trial order. */
  values: number[][];
  feasibles: boolean[];
  /** Median CPU ms of ask() + suggest calls over the run's trials. */
  cpuMs: number;
  /** The same over trials 90–109 (those the run has), for the cost at about 100 trials. */
  cpuMsAround100: number | null;
  /** The default sampler's choices: how many trials each sampler served. */
  servedBy?: Record<string, number>;
}

async function makeSampler(name: OurSampler, seed: number): Promise<Sampler> {
  switch (name) {
    case "default":
      return (await import("../tune/samplers/default.js")).defaultSampler({ seed });
    case "nsga2":
      return new (await import("../tune/samplers/nsga/index.js")).NSGAIISampler({ seed });
    case "nsga3":
      return new (await import("../tune/samplers/nsga/index.js")).NSGAIIISampler({ seed });
    case "tpe":
      return new (await import("../tune/samplers/tpe/index.js")).TPESampler({ seed });
    case "gp":
      return new (await import("../tune/samplers/gp/index.js")).GPSampler({ seed });
  }
}

async function runOurs(task: Task): Promise<Run> {
  const { createStudy } = await import("../tune/index.js");
  const digits = task.problem === DIGITS_SIZE;
  const problem = digits ? null : problemByName(task.problem);
  const directions = digits ? DIGITS_SIZE_DIRECTIONS : problem!.directions;
  const study = await createStudy({ storage: ":memory:", directions, sampler: await makeSampler(task.sampler, task.seed) });
  const values: number[][] = [];
  const feasibles: boolean[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < task.trials; i++) {
    const start = process.cpuUsage();
    const trial = await study.ask();
    const params = digits ? suggestFromSpace(trial, DIGITS_SIZE_SPACE) : suggestParams(trial, problem!);
    const used = process.cpuUsage(start);
    cpu.push((used.user + used.system) / 1000);
    const objectives = digits ? evaluateDigitsSize(params) : problem!.objectives(params as Record<string, number>);
    const constraints = problem?.constraints?.(params as Record<string, number>, objectives);
    for (const [j, c] of (constraints ?? []).entries()) trial.setConstraint(`c${j}`, c);
    await study.tell(trial, objectives);
    values.push(minimised(objectives, directions));
    feasibles.push(isFeasible(constraints));
  }
  const run: Run = {
    problem: task.problem,
    sampler: task.sampler,
    seed: task.seed,
    values,
    feasibles,
    cpuMs: median(cpu),
    cpuMsAround100: cpu.length > 90 ? median(cpu.slice(90, 110)) : null,
  };
  if (task.sampler === "default") {
    run.servedBy = {};
    for (const t of await study.trials()) {
      const by = String(t.systemAttrs["tunebook:sampler"] ?? "?");
      run.servedBy[by] = (run.servedBy[by] ?? 0) + 1;
    }
  }
  return run;
}

// ---------------------------------------------------------------- the coordinator

interface Args {
  seeds: number;
  firstSeed: number;
  budgets: number[];
  problems: string[];
  samplers: OurSampler[];
  optunaSamplers: OptunaMultiObjectiveSampler[];
  gpBudget: number;
  workers: number;
  optuna: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const o = readOptions(
    argv,
    "bench/multiobjective.ts",
    ["seeds", "first-seed", "budgets", "problems", "samplers", "optuna-samplers", "gp-budget", "workers", "out"],
    ["no-optuna"],
  );
  const known = benchProblems().map((p) => p.name);
  const args: Args = {
    seeds: o.seeds === undefined ? 20 : positiveIntegers("seeds", o.seeds)[0],
    firstSeed: Number(o["first-seed"] ?? 0),
    budgets: o.budgets === undefined ? [50, 100, 200] : positiveIntegers("budgets", o.budgets),
    problems: o.problems === undefined ? known : list(o.problems),
    samplers: o.samplers === undefined ? [...OUR_SAMPLERS] : (list(o.samplers) as OurSampler[]),
    optunaSamplers:
      o["optuna-samplers"] === undefined ? [...OPTUNA_SAMPLERS] : (list(o["optuna-samplers"]) as OptunaMultiObjectiveSampler[]),
    gpBudget: o["gp-budget"] === undefined ? 100 : positiveIntegers("gp-budget", o["gp-budget"])[0],
    workers: o.workers === undefined ? 1 : positiveIntegers("workers", o.workers)[0],
    optuna: !o["no-optuna"],
    out: resolve(o.out ?? join(ROOT, "bench/results/multiobjective.json")),
  };
  for (const p of args.problems) if (!known.includes(p)) throw new Error(`unknown problem ${p}; choose from ${known.join(", ")}`);
  for (const s of args.samplers)
    if (!OUR_SAMPLERS.includes(s)) throw new Error(`unknown sampler ${s}; choose from ${OUR_SAMPLERS.join(", ")}`);
  for (const s of args.optunaSamplers)
    if (!OPTUNA_SAMPLERS.includes(s)) throw new Error(`unknown Optuna sampler ${s}; choose from ${OPTUNA_SAMPLERS.join(", ")}`);
  return args;
}

/** Whether a sampler runs on a problem, and to how many trials. */
function trialsFor(args: Args, sampler: OurSampler, problem: BenchProblem): number {
  if (sampler === "nsga3" && problem.directions.length < 3) return 0;
  const budgets = sampler === "gp" ? args.budgets.filter((b) => b <= args.gpBudget) : args.budgets;
  return budgets.length === 0 ? 0 : Math.max(...budgets);
}

/** Runs Optuna's samplers: the formula problems in one Python process, the digits task trial by trial from here. */
async function runOptuna(args: Args, problems: BenchProblem[]): Promise<Run[]> {
  const runs: Run[] = [];
  const formulas = problems.filter((p) => p.name !== DIGITS_SIZE).map((p) => p.name);
  const quality =
    formulas.length === 0
      ? Promise.resolve(null)
      : runOptunaMultiObjective({
          problems: formulas,
          samplers: args.optunaSamplers,
          seeds: args.seeds,
          firstSeed: args.firstSeed,
          budgets: args.budgets,
        });
  if (problems.some((p) => p.name === DIGITS_SIZE)) {
    for (const sampler of args.optunaSamplers) {
      for (let seed = args.firstSeed; seed < args.firstSeed + args.seeds; seed++) {
        const external = await driveOptunaExternal(
          {
            problem: DIGITS_SIZE,
            space: DIGITS_SIZE_SPACE,
            directions: DIGITS_SIZE_DIRECTIONS,
            sampler,
            seed,
            trials: Math.max(...args.budgets),
          },
          (params) => ({ values: evaluateDigitsSize(params) }),
        );
        runs.push({
          problem: DIGITS_SIZE,
          sampler: `optuna-${sampler}`,
          seed,
          values: external.trials.map((t) => minimised(t.values as number[], DIGITS_SIZE_DIRECTIONS)),
          feasibles: external.trials.map((t) => t.state === "COMPLETE"),
          cpuMs: external.cpu_ms_per_suggestion,
          cpuMsAround100: null,
        });
      }
    }
  }
  for (const r of (await quality)?.results ?? []) {
    runs.push({
      problem: r.problem,
      sampler: `optuna-${r.sampler}`,
      seed: r.seed,
      values: r.values,
      feasibles: r.feasibles,
      cpuMs: r.cpu_ms_per_suggestion,
      cpuMsAround100: null,
    });
  }
  return runs;
}

/** Hypervolume of the feasible points among the first `budget` (points beyond the reference add nothing). */
function hypervolumeAt(run: Run, budget: number, referencePoint: readonly number[]): number {
  const points = run.values.slice(0, budget).filter((v, i) => run.feasibles[i] && v.every((x, j) => x < referencePoint[j]));
  return points.length === 0 ? 0 : hypervolume(points, referencePoint);
}

interface Cell {
  /** Median hypervolume over seeds, at the standard and (ZDT) the wide reference point. */
  hypervolume: number;
  wideHypervolume?: number;
  /** True front's hypervolume − median, at the wide reference point where there is one. */
  gap?: number;
  /** Per seed, at the reference point the gap uses, for the tests between samplers. */
  bySeed: number[];
}

type Table = Record<string, Record<string, Record<string, Cell>>>;

function summarise(args: Args, problems: BenchProblem[], runs: Run[]): Table {
  const table: Table = {};
  for (const problem of problems) {
    table[problem.name] = {};
    const samplers = [...new Set(runs.filter((r) => r.problem === problem.name).map((r) => r.sampler))];
    for (const sampler of samplers) {
      const mine = runs.filter((r) => r.problem === problem.name && r.sampler === sampler).sort((a, b) => a.seed - b.seed);
      table[problem.name][sampler] = {};
      for (const budget of args.budgets) {
        if (mine.some((r) => r.values.length < budget)) continue;
        const standard = mine.map((r) => hypervolumeAt(r, budget, problem.referencePoint));
        const cell: Cell = { hypervolume: median(standard), bySeed: standard };
        if (problem.wide) {
          const wide = mine.map((r) => hypervolumeAt(r, budget, problem.wide!.referencePoint));
          cell.wideHypervolume = median(wide);
          cell.gap = problem.wide.trueFrontHypervolume - cell.wideHypervolume;
          cell.bySeed = wide;
        } else if (problem.trueFrontHypervolume !== null) {
          cell.gap = problem.trueFrontHypervolume - cell.hypervolume;
        }
        table[problem.name][sampler][String(budget)] = cell;
      }
    }
  }
  return table;
}

/**
 * One-sided Mann–Whitney U test (normal approximation with the tie correction): the
 * probability of seeing `a` rank this low against `b` if neither tends to be larger.
 * Small values say `a` is worse (smaller hypervolumes) than `b`.
 */
function mannWhitneyLess(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  const ranks = rankData([...a, ...b]);
  const r1 = ranks.slice(0, n1).reduce((s, r) => s + r, 0);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t ** 3 - t;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance === 0) return 0.5;
  return 1 - normalSf((u + 0.5 - (n1 * n2) / 2) / Math.sqrt(variance));
}

function fmt(x: number | undefined, digits = 4): string {
  if (x === undefined || Number.isNaN(x)) return "—";
  if (x === 0) return "0";
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(digits);
}

function samplerOrder(samplers: string[]): string[] {
  const order = ["default", "nsga2", "nsga3", "tpe", "gp", "optuna-nsga2", "optuna-tpe"];
  return samplers.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function printTables(args: Args, problems: BenchProblem[], table: Table, runs: Run[]): void {
  for (const problem of problems) {
    const rows = table[problem.name];
    const wide = problem.wide !== null;
    console.log(`\n${problem.name} — ${problem.about}`);
    const ref = wide
      ? `median hypervolume w.r.t. [${problem.wide!.referencePoint}] (true front ${fmt(problem.wide!.trueFrontHypervolume)}); ` +
        `w.r.t. the standard [${problem.referencePoint}] in brackets`
      : `median hypervolume w.r.t. [${problem.referencePoint}]` +
        (problem.trueFrontHypervolume !== null ? ` (true front ${fmt(problem.trueFrontHypervolume)})` : "");
    console.log(ref);
    const header = [
      "sampler",
      ...args.budgets.map((b) => `${b} trials`),
      ...(problem.trueFrontHypervolume !== null ? ["gap at 100"] : []),
      "ms/suggestion (CPU)",
    ];
    console.log(`| ${header.join(" | ")} |`);
    console.log(`|${header.map(() => "---").join("|")}|`);
    for (const sampler of samplerOrder(Object.keys(rows))) {
      const cells = args.budgets.map((b) => {
        const c = rows[sampler][String(b)];
        if (c === undefined) return "—";
        return wide ? `${fmt(c.wideHypervolume)} (${fmt(c.hypervolume)})` : fmt(c.hypervolume);
      });
      const gap = problem.trueFrontHypervolume !== null ? [fmt(rows[sampler]["100"]?.gap)] : [];
      const ms = median(runs.filter((r) => r.problem === problem.name && r.sampler === sampler).map((r) => r.cpuMs));
      console.log(`| ${[sampler, ...cells, ...gap, fmt(ms, 3)].join(" | ")} |`);
    }
  }
}

interface Verdict {
  problem: string;
  budget: string;
  check: string;
  ours: number;
  peer: number;
  pass: boolean;
}

/** The goals, problem by problem: which cells meet them and which miss. */
function verdicts(args: Args, problems: BenchProblem[], table: Table): Verdict[] {
  const out: Verdict[] = [];
  const key = (c: Cell | undefined) => (c === undefined ? undefined : (c.wideHypervolume ?? c.hypervolume));
  for (const problem of problems) {
    const rows = table[problem.name];
    const at100 = "100";
    const ours = rows.default?.[at100];
    const peers = ["optuna-nsga2", "optuna-tpe"].map((s) => rows[s]?.[at100]).filter((c): c is Cell => c !== undefined);
    if (ours && peers.length > 0) {
      const best = peers.reduce((a, b) => (key(a)! >= key(b)! ? a : b));
      out.push({
        problem: problem.name,
        budget: at100,
        check: "default median HV ≥ best Optuna sampler's",
        ours: key(ours)!,
        peer: key(best)!,
        pass: key(ours)! >= key(best)!,
      });
      if (ours.gap !== undefined && best.gap !== undefined)
        out.push({
          problem: problem.name,
          budget: at100,
          check: "default gap ≤ 0.5 × best Optuna sampler's gap",
          ours: ours.gap,
          peer: best.gap,
          pass: ours.gap <= 0.5 * best.gap,
        });
    }
    for (const budget of args.budgets.map(String)) {
      const mine = rows.nsga2?.[budget];
      const theirs = rows["optuna-nsga2"]?.[budget];
      if (!mine || !theirs) continue;
      const p = mannWhitneyLess(mine.bySeed, theirs.bySeed);
      out.push({
        problem: problem.name,
        budget,
        check: "NSGA-II not worse than Optuna's (one-sided Mann–Whitney p ≥ 0.05)",
        ours: key(mine)!,
        peer: key(theirs)!,
        pass: p >= 0.05,
      });
    }
  }
  return out;
}

/** Hypervolume of 1,000 points in 3-D: on DTLZ2's front (all non-dominated, the hard case) and uniform in the cube. */
async function timeHypervolume(
  withOptuna: boolean,
): Promise<Record<string, { ours: number; optuna: number | null; agree: boolean | null }>> {
  const { Rng } = await import("../core/rng.js");
  const rng = new Rng(7);
  const front: number[][] = [];
  while (front.length < 1000) {
    const v = [rng.normal(), rng.normal(), rng.normal()].map(Math.abs);
    const norm = Math.hypot(...v);
    if (norm > 0) front.push(v.map((x) => x / norm));
  }
  const cube = Array.from({ length: 1000 }, () => [rng.random(), rng.random(), rng.random()]);
  const sets = { "dtlz2 front": front, "uniform cube": cube };
  const reference = [1.1, 1.1, 1.1];
  // Optuna 3.1's WFG takes seconds on the front: three repeats.
  const peer = withOptuna ? timeOptunaHypervolume(sets, reference, 3) : null;
  const out: Record<string, { ours: number; optuna: number | null; agree: boolean | null }> = {};
  for (const [name, points] of Object.entries(sets)) {
    const times: number[] = [];
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const start = process.cpuUsage();
      value = hypervolume(points, reference);
      const used = process.cpuUsage(start);
      times.push((used.user + used.system) / 1000);
    }
    const theirs = peer?.results[name];
    out[name] = {
      ours: median(times),
      optuna: theirs?.cpu_ms ?? null,
      agree: theirs ? Math.abs(theirs.hypervolume - value) <= 1e-9 * Math.max(1, value) : null,
    };
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const problems = benchProblems().filter((p) => args.problems.includes(p.name));
  const unavailable = args.optuna ? optunaPeerUnavailable() : false;
  if (unavailable) throw new Error(`${unavailable}; or run with --no-optuna`);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

  const tasks: Task[] = [];
  for (const problem of problems)
    for (const sampler of args.samplers) {
      const trials = trialsFor(args, sampler, problem);
      if (trials === 0) continue;
      for (let seed = args.firstSeed; seed < args.firstSeed + args.seeds; seed++)
        tasks.push({ problem: problem.name, sampler, seed, trials });
    }
  // The GP's runs are the longest: first, so the pool does not end on one of them.
  const cost = (t: Task) => (t.sampler === "gp" || t.sampler === "default" ? 0 : 1);
  tasks.sort((a, b) => cost(a) - cost(b));

  const peerRuns = args.optuna
    ? runOptuna(args, problems).then((runs) => {
        process.stderr.write(`\nOptuna done after ${elapsed()}\n`);
        return runs;
      })
    : Promise.resolve([]);
  const ours: Run[] = [];
  await runPool(SELF, tasks, args.workers, (run: Run) => {
    ours.push(run);
    if (ours.length % 10 === 0 || ours.length === tasks.length)
      process.stderr.write(`\rours: ${ours.length}/${tasks.length} runs, ${elapsed()}`);
  });
  process.stderr.write(`\nours done after ${elapsed()}${args.optuna ? "; waiting for Optuna" : ""}\n`);
  const runs = [...ours, ...(await peerRuns)];
  const hypervolumeTiming = await timeHypervolume(args.optuna);

  const table = summarise(args, problems, runs);
  printTables(args, problems, table, runs);
  const checks = verdicts(args, problems, table);
  console.log("\nGoals");
  for (const v of checks)
    console.log(`${v.pass ? "meets" : "MISSES"}  ${v.problem} at ${v.budget}: ${v.check} — ours ${fmt(v.ours)}, Optuna ${fmt(v.peer)}`);

  const gpAt100 = median(
    ours
      .filter((r) => r.sampler === "gp" && r.cpuMsAround100 !== null && problemDirections(problems, r.problem) === 2)
      .map((r) => r.cpuMsAround100!),
  );
  console.log(`\nGPSampler (log EHVI), 2 objectives: ${fmt(gpAt100, 3)} ms CPU per suggestion around trial 100 (goal < 200 ms)`);
  for (const [name, t] of Object.entries(hypervolumeTiming))
    console.log(
      `Hypervolume of 1,000 points in 3-D (${name}): ours ${fmt(t.ours, 3)} ms, Optuna 3.1's WFG ${fmt(t.optuna ?? undefined, 3)} ms CPU` +
        `${t.agree === false ? " — VALUES DIFFER" : ""} (goal < 50 ms)`,
    );
  const served: Record<string, Record<string, number>> = {};
  for (const r of ours.filter((r) => r.servedBy))
    for (const [by, n] of Object.entries(r.servedBy!)) {
      served[r.problem] ??= {};
      served[r.problem][by] = (served[r.problem][by] ?? 0) + n;
    }
  console.log("\nThe default sampler's choices (trials served, all seeds):");
  for (const [problem, counts] of Object.entries(served)) console.log(`  ${problem}: ${JSON.stringify(counts)}`);

  mkdirSync(dirname(args.out), { recursive: true });
  const summary = Object.fromEntries(
    Object.entries(table).map(([p, rows]) => [
      p,
      Object.fromEntries(
        Object.entries(rows).map(([s, cells]) => [s, Object.fromEntries(Object.entries(cells).map(([b, { bySeed: _, ...c }]) => [b, c]))]),
      ),
    ]),
  );
  const document = {
    command: `node --import tsx bench/multiobjective.ts ${process.argv.slice(2).join(" ")}`.trim(),
    seconds: Math.round((performance.now() - started) / 1000),
    seeds: [args.firstSeed, args.firstSeed + args.seeds - 1],
    budgets: args.budgets,
    medianHypervolume: summary,
    msPerSuggestionCpu: Object.fromEntries(
      problems.map((p) => [
        p.name,
        Object.fromEntries(
          samplerOrder([...new Set(runs.filter((r) => r.problem === p.name).map((r) => r.sampler))]).map((s) => [
            s,
            median(runs.filter((r) => r.problem === p.name && r.sampler === s).map((r) => r.cpuMs)),
          ]),
        ),
      ]),
    ),
    gpMsAround100TwoObjectives: gpAt100,
    hypervolumeTiming,
    defaultSamplerChoices: served,
    goals: checks,
  };
  writeFileSync(args.out, `${JSON.stringify(document, null, 1)}\n`);
  console.log(`\nsaved ${args.out} (${elapsed()})`);
}

function problemDirections(problems: BenchProblem[], name: string): number {
  return problems.find((p) => p.name === name)?.directions.length ?? 0;
}

if (process.argv.includes("--worker")) serveTasks(runOurs);
else await main();
