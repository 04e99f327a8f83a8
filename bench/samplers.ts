/**
 * Sampler benchmark, side by side with Optuna in one run.
 *
 *   node --import tsx bench/samplers.ts [--seeds 20] [--first-seed 0] [--budgets 25,50,100,200]
 *     [--functions a,b] [--samplers random,qmc,tpe,...] [--timing 100,200,1000]
 *     [--workers 2] [--gp-budget 100] [--no-optuna] [--no-timing] [--out bench/results/samplers.json]
 *
 * Quality: for each objective × sampler × seed, the best value after each budget;
 * the table shows the median regret (best − known optimum) over seeds, and the ratio
 * to Optuna's TPE run on the same objective, seeds and budgets (Optuna 3.1 through
 * ../shared/bench/optuna_reference.py for the suite; the extra objectives through the
 * same Optuna with their Python twins from bench/objectives.ts).
 *
 * `--first-seed` runs other seeds than 0..19, to check a choice made on one set of
 * seeds against another (the TPE defaults were chosen on seeds 20–119, never on the
 * 0–19 of the standard run). Optuna then runs the suite's objectives from
 * optuna_reference.py's own definitions with the same seeds.
 *
 * Speed: the sampler's own CPU time per trial (every sampler call of one trial:
 * inferRelativeSearchSpace, sampleRelative, sampleIndependent, afterTrial), median over
 * the 20 trials around 100, 200 and 1000 trials, on Optuna's overhead objective (two
 * floats). CPU time rather than wall time, so other processes on the machine do not
 * inflate it; it includes the timer's own cost (a few µs per call).
 * Runs on child processes (one per --workers) while Optuna runs in its own.
 *
 * GPSampler is meant for small budgets and costs tens of milliseconds per suggestion, so
 * its quality runs stop at --gp-budget trials (default 100; its cells beyond show "—")
 * and its timing at 200 trials; that keeps a full run within about 15 minutes on two
 * cores. The default sampler runs every budget (it hands over from GP to TPE itself).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TrialRecord, TrialState } from "../core/records.js";
import type { Distribution } from "../tune/distributions.js";
import type { InternalParams, Sampler, StudyView } from "../tune/samplers/sampler.js";
import { list, positiveIntegers, readOptions } from "./args.js";
import { type BenchObjective, OBJECTIVES, objectiveByName, type Suggest } from "./objectives.js";
import { runPool, serveTasks } from "./pool.js";

const SELF = fileURLToPath(import.meta.url);
const HERE = dirname(SELF);
const ROOT = resolve(HERE, "..");
const SHARED = process.env.TUNEBOOK_SHARED ?? resolve(ROOT, "../shared");
const PYTHON = process.env.TUNEBOOK_PYTHON ?? "/usr/bin/python3";

type SamplerFactory = (seed: number) => Sampler;

/** Our samplers by benchmark name; GP and CMA-ES only when their modules exist. */
async function samplerFactories(): Promise<Record<string, SamplerFactory>> {
  const { RandomSampler } = await import("../tune/samplers/random.js");
  const { QMCSampler } = await import("../tune/samplers/qmc.js");
  const { TPESampler, OPTUNA_TPE_DEFAULTS } = await import("../tune/samplers/tpe/index.js");
  const { defaultSampler } = await import("../tune/samplers/default.js");
  const factories: Record<string, SamplerFactory> = {
    random: (seed) => new RandomSampler({ seed }),
    qmc: (seed) => new QMCSampler({ seed }),
    tpe: (seed) => new TPESampler({ seed }),
    "tpe-optuna-defaults": (seed) => new TPESampler({ seed, ...OPTUNA_TPE_DEFAULTS }),
    "tpe-multivariate": (seed) => new TPESampler({ seed, multivariate: true }),
    "tpe-multivariate-optuna-defaults": (seed) => new TPESampler({ seed, multivariate: true, ...OPTUNA_TPE_DEFAULTS }),
  };
  if (existsSync(join(ROOT, "tune/samplers/gp/index.ts")) || existsSync(join(ROOT, "tune/samplers/gp.ts"))) {
    const gp = await import("../tune/samplers/gp/index.js");
    factories.gp = (seed) => new gp.GPSampler({ seed });
  }
  if (existsSync(join(ROOT, "tune/samplers/cmaes/index.ts")) || existsSync(join(ROOT, "tune/samplers/cmaes.ts"))) {
    const cmaes = await import("../tune/samplers/cmaes/index.js");
    factories.cmaes = (seed) => new cmaes.CmaEsSampler({ seed });
  }
  factories.default = (seed) => defaultSampler({ seed });
  return factories;
}

/** Adds up the time a sampler spends on each trial, by trial number. */
class TimedSampler implements Sampler {
  readonly name: string;
  readonly spent = new Map<number, number>();
  constructor(private readonly inner: Sampler) {
    this.name = inner.name;
  }
  /** CPU time of this process (user + system), so other load on the machine does not count. */
  private time<T>(trial: TrialRecord, run: () => T): T {
    const start = process.cpuUsage();
    try {
      return run();
    } finally {
      const used = process.cpuUsage(start);
      this.spent.set(trial.number, (this.spent.get(trial.number) ?? 0) + (used.user + used.system) / 1000);
    }
  }
  inferRelativeSearchSpace(study: StudyView, trial: TrialRecord): Record<string, Distribution> {
    return this.time(trial, () => this.inner.inferRelativeSearchSpace(study, trial));
  }
  sampleRelative(study: StudyView, trial: TrialRecord, space: Record<string, Distribution>): InternalParams {
    return this.time(trial, () => this.inner.sampleRelative(study, trial, space));
  }
  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number {
    return this.time(trial, () => this.inner.sampleIndependent(study, trial, name, distribution));
  }
  afterTrial(study: StudyView, trial: TrialRecord, state: TrialState, values: readonly number[] | null): void {
    this.time(trial, () => this.inner.afterTrial?.(study, trial, state, values));
  }
}

interface QualityTask {
  kind: "quality";
  objective: string;
  sampler: string;
  seed: number;
  budgets: number[];
}

interface TimingTask {
  kind: "timing";
  sampler: string;
  trials: number;
  at: number[];
}

type Task = QualityTask | TimingTask;

interface QualityResult {
  objective: string;
  sampler: string;
  seed: number;
  best: Record<string, number>;
}

interface TimingResult {
  sampler: string;
  /** Median ms per trial around each trial count. */
  msPerTrial: Record<string, number>;
}

async function runStudy(sampler: Sampler, objective: (trial: Suggest) => number, nTrials: number): Promise<number[]> {
  const { createStudy } = await import("../tune/index.js");
  const study = await createStudy({ storage: ":memory:", direction: "minimize", sampler });
  await study.optimize((trial) => objective(trial), { nTrials });
  const trials = await study.trials();
  return trials.sort((a, b) => a.number - b.number).map((t) => (t.state === "COMPLETE" && t.value !== null ? t.value : Infinity));
}

async function runTask(task: Task, factories: Record<string, SamplerFactory>): Promise<QualityResult | TimingResult> {
  if (task.kind === "quality") {
    const objective = objectiveByName(task.objective);
    const values = await runStudy(factories[task.sampler](task.seed), (t) => objective.evaluate(t), Math.max(...task.budgets));
    const best: Record<string, number> = {};
    for (const b of task.budgets) best[String(b)] = Math.min(...values.slice(0, b));
    return { objective: task.objective, sampler: task.sampler, seed: task.seed, best };
  }
  const timed = new TimedSampler(factories[task.sampler](0));
  await runStudy(timed, (t) => (t.suggestFloat("x", -5, 5) - 1) ** 2 + t.suggestFloat("y", -5, 5) ** 2, task.trials);
  const msPerTrial: Record<string, number> = {};
  for (const n of task.at) {
    if (n > task.trials) continue;
    const window: number[] = [];
    for (let i = Math.max(0, n - 10); i < Math.min(task.trials, n + 10); i++) window.push(timed.spent.get(i) ?? 0);
    msPerTrial[String(n)] = median(window);
  }
  return { sampler: task.sampler, msPerTrial };
}

function median(values: number[]): number {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------- worker side

if (process.argv.includes("--worker")) {
  const factories = await samplerFactories();
  serveTasks((task: Task) => runTask(task, factories));
} else {
  await main();
}

// ---------------------------------------------------------------- coordinator

interface Args {
  seeds: number;
  firstSeed: number;
  budgets: number[];
  functions: string[];
  samplers: string[] | null;
  timing: number[];
  workers: number;
  gpBudget: number;
  optuna: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const o = readOptions(
    argv,
    "bench/samplers.ts",
    ["seeds", "first-seed", "budgets", "functions", "samplers", "timing", "workers", "gp-budget", "out"],
    ["no-timing", "no-optuna"],
  );
  const args: Args = {
    seeds: o.seeds === undefined ? 20 : positiveIntegers("seeds", o.seeds)[0],
    firstSeed: Number(o["first-seed"] ?? 0),
    budgets: o.budgets === undefined ? [25, 50, 100, 200] : positiveIntegers("budgets", o.budgets),
    functions: o.functions === undefined ? OBJECTIVES.map((obj) => obj.name) : list(o.functions),
    samplers: o.samplers === undefined ? null : list(o.samplers),
    timing: o["no-timing"] ? [] : o.timing === undefined ? [100, 200, 1000] : positiveIntegers("timing", o.timing),
    workers: o.workers === undefined ? 2 : positiveIntegers("workers", o.workers)[0],
    gpBudget: o["gp-budget"] === undefined ? 100 : positiveIntegers("gp-budget", o["gp-budget"])[0],
    optuna: !o["no-optuna"],
    out: resolve(o.out ?? join(ROOT, "bench/results/samplers.json")),
  };
  for (const f of args.functions) objectiveByName(f);
  return args;
}

interface OptunaQuality {
  results: Array<{ function: string; sampler: string; seed: number; best: Record<string, number> }>;
  optuna?: string;
}

function runPython(args: string[], input?: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(PYTHON, args, { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done(out) : fail(new Error(`${PYTHON} ${args.join(" ")} exited with ${code}`))));
    child.stdin.end(input ?? "");
  });
}

/**
 * Optuna on the extra objectives — and on the suite's when the seeds do not start at 0 —
 * with the same loop as optuna_reference.py: the extras through their Python twins, the
 * suite through optuna_reference.py's own objectives.
 */
function peerOptunaScript(objectives: BenchObjective[]): string {
  const defs = objectives
    .map(
      (o) =>
        `def ${o.name}(trial):\n${o
          .python!.split("\n")
          .map((line) => `    ${line}`)
          .join("\n")}\n`,
    )
    .join("\n");
  return `import json, sys
import optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
${defs}
FUNCS = {${objectives.map((o) => `"${o.name}": ${o.name}`).join(", ")}}
args = json.loads(sys.argv[1])
sys.path.insert(0, args["reference_dir"])
import optuna_reference as reference
SUITE = {f["name"]: f["params"] for f in reference.SPEC["functions"]}
def objective(name):
    if name in FUNCS:
        return FUNCS[name]
    f, params = reference.FUNCS[name], SUITE[name]
    return lambda trial: f(reference.suggest(trial, params))
results = []
for name in args["functions"]:
    for sampler in args["samplers"]:
        for seed in range(args["first_seed"], args["first_seed"] + args["seeds"]):
            s = optuna.samplers.TPESampler(seed=seed) if sampler == "tpe" else optuna.samplers.RandomSampler(seed=seed)
            study = optuna.create_study(direction="minimize", sampler=s)
            study.optimize(objective(name), n_trials=max(args["budgets"]))
            values = [t.value for t in study.trials]
            results.append({"function": name, "sampler": sampler, "seed": seed, "best": {str(b): min(values[:b]) for b in args["budgets"]}})
json.dump({"kind": "quality", "optuna": optuna.__version__, "results": results}, sys.stdout)
`;
}

async function runOptuna(args: Args): Promise<OptunaQuality["results"]> {
  // The standard run calls optuna_reference.py as it is; other seeds go through the same loop as the extras.
  const viaReference = args.firstSeed === 0;
  const suite = args.functions.filter((f) => objectiveByName(f).suite && viaReference);
  const extra = args.functions.map(objectiveByName).filter((o) => !o.suite || !viaReference);
  const budgets = args.budgets.join(",");
  const jobs: Promise<OptunaQuality["results"]>[] = [];
  if (suite.length > 0) {
    const script = join(SHARED, "bench/optuna_reference.py");
    jobs.push(
      runPython([
        script,
        "quality",
        "--functions",
        suite.join(","),
        "--samplers",
        "tpe,random",
        "--seeds",
        String(args.seeds),
        "--budgets",
        budgets,
      ]).then((out) => (JSON.parse(out) as OptunaQuality).results),
    );
  }
  if (extra.length > 0) {
    const payload = JSON.stringify({
      functions: extra.map((o) => o.name),
      samplers: ["tpe", "random"],
      seeds: args.seeds,
      first_seed: args.firstSeed,
      budgets: args.budgets,
      reference_dir: join(SHARED, "bench"),
    });
    jobs.push(
      runPython(["-c", peerOptunaScript(extra.filter((o) => !o.suite)), payload]).then((out) => (JSON.parse(out) as OptunaQuality).results),
    );
  }
  return (await Promise.all(jobs)).flat();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const factories = await samplerFactories();
  const samplers = args.samplers ?? Object.keys(factories);
  for (const s of samplers) if (!(s in factories)) throw new Error(`unknown sampler ${s}; available: ${Object.keys(factories).join(", ")}`);
  const started = performance.now();

  // Timing runs alone on one worker before anything else starts, so no other work of
  // this benchmark shares the machine's cores with them.
  const timingTasks: Task[] = [];
  for (const s of samplers) {
    if (args.timing.length === 0) break;
    // GP is meant for small budgets (its cost grows with trials): timed up to 200 trials.
    const trials = Math.max(...args.timing.filter((n) => (s === "gp" ? n <= 200 : true)));
    if (Number.isFinite(trials)) timingTasks.push({ kind: "timing", sampler: s, trials, at: args.timing });
  }
  const timing: TimingResult[] = [];
  await runPool(SELF, timingTasks, 1, (r: QualityResult | TimingResult) => timing.push(r as TimingResult));
  process.stderr.write(`timing done after ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

  const tasks: Task[] = [];
  for (const objective of args.functions) {
    for (const sampler of samplers) {
      const budgets = sampler === "gp" ? args.budgets.filter((b) => b <= args.gpBudget) : args.budgets;
      if (budgets.length === 0) continue;
      for (let seed = args.firstSeed; seed < args.firstSeed + args.seeds; seed++)
        tasks.push({ kind: "quality", objective, sampler, seed, budgets });
    }
  }
  const quality: QualityResult[] = [];
  let done = 0;
  const optuna = args.optuna ? runOptuna(args) : Promise.resolve([]);
  // Optuna's own figure for context: a whole trial (sampler, in-memory storage, objective),
  // mean wall time over 1000 trials of TPE, from optuna_reference.py overhead.
  const optunaOverhead =
    args.optuna && args.timing.length > 0
      ? optuna.then(() =>
          runPython([join(SHARED, "bench/optuna_reference.py"), "overhead", "--trials", "1000", "--sampler", "tpe"]).then(
            (out) => (JSON.parse(out) as { per_trial_ms: number }).per_trial_ms,
            () => null,
          ),
        )
      : Promise.resolve(null);
  await runPool(SELF, tasks, args.workers, (r: QualityResult | TimingResult) => {
    quality.push(r as QualityResult);
    done++;
    if (done % 50 === 0) process.stderr.write(`\r${done}/${tasks.length} runs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
  process.stderr.write(`\rours done after ${((performance.now() - started) / 1000).toFixed(0)} s; waiting for Optuna\n`);
  const peer = await optuna;
  const optunaTrialMs = await optunaOverhead;
  const seconds = (performance.now() - started) / 1000;

  const table = summarise(args, samplers, quality, peer);
  printQuality(args, samplers, table);
  printTiming(args, timing, optunaTrialMs);
  const verdict = printVerdict(args, table);
  mkdirSync(dirname(args.out), { recursive: true });
  // Summary readable; per-seed regrets (4 significant digits, seeds in order) one line per cell.
  const summary = JSON.stringify(
    {
      date: new Date().toISOString(),
      seconds: Math.round(seconds),
      args: {
        seeds: args.seeds,
        firstSeed: args.firstSeed,
        budgets: args.budgets,
        functions: args.functions,
        samplers,
        gpBudget: args.gpBudget,
      },
      medianRegret: table,
      verdict,
      timingCpuMsPerTrial: Object.fromEntries(timing.map((t) => [t.sampler, t.msPerTrial])),
      optunaTpeWholeTrialMsAt1000: optunaTrialMs,
    },
    null,
    1,
  );
  const cells = regretsBySeed(args, quality, peer).map((c) => JSON.stringify(c));
  writeFileSync(args.out, `${summary.slice(0, -2)},\n "regrets": [\n  ${cells.join(",\n  ")}\n ]\n}\n`);
  console.log(`\nsaved ${args.out} (${seconds.toFixed(0)} s)`);
}

/** Each run's regret at each budget, seeds in order: one entry per objective × sampler × budget. */
function regretsBySeed(
  args: Args,
  ours: QualityResult[],
  peer: OptunaQuality["results"],
): Array<{ function: string; sampler: string; budget: number; regret: number[] }> {
  const runs = [
    ...ours.map((r) => ({ function: r.objective, sampler: r.sampler, seed: r.seed, best: r.best })),
    ...peer.map((r) => ({ function: r.function, sampler: `optuna-${r.sampler}`, seed: r.seed, best: r.best })),
  ];
  const out: Array<{ function: string; sampler: string; budget: number; regret: number[] }> = [];
  const keys = [...new Set(runs.map((r) => `${r.function}\u0000${r.sampler}`))];
  for (const key of keys) {
    const [fn, sampler] = key.split("\u0000");
    const optimum = objectiveByName(fn).optimum;
    const mine = runs.filter((r) => r.function === fn && r.sampler === sampler).sort((a, b) => a.seed - b.seed);
    for (const budget of args.budgets) {
      if (mine.some((r) => r.best[String(budget)] === undefined)) continue;
      out.push({ function: fn, sampler, budget, regret: mine.map((r) => Number((r.best[String(budget)] - optimum).toPrecision(4))) });
    }
  }
  return out;
}

/** medianRegret[function][sampler][budget]; Optuna's as "optuna-tpe" and "optuna-random". */
type Table = Record<string, Record<string, Record<string, number>>>;

function summarise(args: Args, samplers: string[], ours: QualityResult[], peer: OptunaQuality["results"]): Table {
  const table: Table = {};
  for (const name of args.functions) {
    const optimum = objectiveByName(name).optimum;
    table[name] = {};
    const rows: Array<[string, Array<Record<string, number>>]> = [
      ...samplers.map((s): [string, Array<Record<string, number>>] => [
        s,
        ours.filter((r) => r.objective === name && r.sampler === s).map((r) => r.best),
      ]),
      ["optuna-tpe", peer.filter((r) => r.function === name && r.sampler === "tpe").map((r) => r.best)],
      ["optuna-random", peer.filter((r) => r.function === name && r.sampler === "random").map((r) => r.best)],
    ];
    for (const [sampler, bests] of rows) {
      if (bests.length === 0) continue;
      table[name][sampler] = {};
      for (const b of args.budgets) {
        if (bests.some((best) => best[String(b)] === undefined)) continue;
        table[name][sampler][String(b)] = median(bests.map((best) => best[String(b)] - optimum));
      }
    }
  }
  return table;
}

function fmt(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return "—";
  if (x === 0) return "0";
  return Math.abs(x) >= 1000 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

function printQuality(args: Args, samplers: string[], table: Table): void {
  console.log(`\nMedian regret over ${args.seeds} seeds (best found − optimum); (×r) = ratio to Optuna TPE at that budget\n`);
  for (const name of args.functions) {
    const o = objectiveByName(name);
    console.log(`${name} — ${o.about}${o.suite ? "" : " (outside the suite)"}`);
    console.log(`  ${"sampler".padEnd(18)}${args.budgets.map((b) => String(b).padStart(20)).join("")}`);
    const peer = table[name]["optuna-tpe"];
    for (const sampler of [...samplers, "optuna-tpe", "optuna-random"]) {
      const row = table[name][sampler];
      if (!row) continue;
      const cells = args.budgets.map((b) => {
        const v = row[String(b)];
        const ratio = peer && v !== undefined && !sampler.startsWith("optuna") ? ` (×${fmtRatio(v, peer[String(b)])})` : "";
        return (fmt(v) + ratio).padStart(20);
      });
      console.log(`  ${sampler.padEnd(18)}${cells.join("")}`);
    }
    console.log("");
  }
}

function fmtRatio(ours: number, peer: number | undefined): string {
  if (peer === undefined) return "—";
  if (peer === 0) return ours === 0 ? "1" : "∞";
  const r = ours / peer;
  return r >= 10 ? r.toFixed(0) : r.toFixed(2);
}

function printTiming(args: Args, timing: TimingResult[], optunaTrialMs: number | null): void {
  if (timing.length === 0) return;
  console.log("Sampler CPU time per trial (ms, median of the 20 trials around n), objective (x−1)² + y² on two floats");
  console.log(`  ${"sampler".padEnd(18)}${args.timing.map((n) => `n=${n}`.padStart(10)).join("")}`);
  for (const t of timing) {
    const cells = args.timing.map((n) => (t.msPerTrial[String(n)] === undefined ? "—" : t.msPerTrial[String(n)].toFixed(3)).padStart(10));
    console.log(
      "  " +
        t.sampler.padEnd(18) +
        cells.join("") +
        (t.sampler === "gp" && args.timing.some((n) => n > 200) ? "   (GP: meant for small budgets, timed to 200)" : ""),
    );
  }
  if (optunaTrialMs !== null) {
    console.log(
      `  Optuna TPE, for context: ${optunaTrialMs.toFixed(2)} ms per whole trial (sampler + storage + objective, wall), mean over 1000 trials`,
    );
  }
  console.log("");
}

/** The targets at 100 trials (or the largest budget below it): default vs Optuna TPE, TPE vs Optuna TPE. */
function printVerdict(args: Args, table: Table): Record<string, unknown> {
  const budget = String(args.budgets.includes(100) ? 100 : args.budgets[args.budgets.length - 1]);
  const verdict: Record<string, unknown> = { budget: Number(budget) };
  for (const [label, suite] of [
    ["suite", true],
    ["outside the suite", false],
  ] as const) {
    const names = args.functions.filter((f) => objectiveByName(f).suite === suite && table[f]["optuna-tpe"]);
    if (names.length === 0) continue;
    const ratio = (sampler: string, f: string) => {
      const ours = table[f][sampler]?.[budget];
      const peer = table[f]["optuna-tpe"][budget];
      return ours === undefined ? NaN : peer === 0 ? (ours === 0 ? 1 : Infinity) : ours / peer;
    };
    // Only the samplers this run included (a run over other seeds may compare TPE alone).
    const judged = (["default", "tpe"] as const).filter((s) => names.some((f) => table[f][s] !== undefined));
    if (judged.length === 0) continue;
    const ratios = Object.fromEntries(judged.map((s) => [s, names.map((f) => ratio(s, f))]));
    const result: Record<string, unknown> = { functions: names };
    const findings: string[] = [];
    if (ratios.default) {
      Object.assign(result, {
        defaultRatio: ratios.default,
        defaultNeverWorse: ratios.default.every((r) => r <= 1),
        defaultAtMostHalf: ratios.default.filter((r) => r <= 0.5).length,
      });
      findings.push(
        `default ≤ Optuna TPE everywhere: ${result.defaultNeverWorse ? "yes" : "NO"}; ≤ half on ${result.defaultAtMostHalf} of ${names.length}`,
      );
    }
    if (ratios.tpe) {
      Object.assign(result, { tpeRatio: ratios.tpe, tpeWithin10Percent: ratios.tpe.every((r) => r <= 1.1) });
      findings.push(`TPE within 10%: ${result.tpeWithin10Percent ? "yes" : "NO"}`);
    }
    verdict[suite ? "suite" : "extra"] = result;
    console.log(`At ${budget} trials, ${label}: ours / Optuna TPE median regret`);
    console.log(`  ${"".padEnd(20)}${judged.map((s) => s.padStart(9)).join("")}`);
    names.forEach((f, i) => {
      console.log(`  ${f.padEnd(20)}${judged.map((s) => fmtRatio(ratios[s][i], 1).padStart(9)).join("")}`);
    });
    console.log(`  ${findings.join("; ")}\n`);
  }
  return verdict;
}
