/**
 * The tracker UI on a large study (100,000 trials by default; `--trials 1000000` for a
 * million): for every page's API endpoint — the studies list, the study summary, the
 * trials table, one trial, every chart — the first request to a server started for it
 * alone (a fresh process, so cold means cold: nothing cached, the study never read), the
 * median of warm requests after it, and that server's resident memory (peak and after);
 * then one server answering every endpoint in turn (a page load and more), with its
 * memory; Optuna 3.1's own `load_study(...).get_trials()` (every trial) on the same file beside it;
 * and the time until the study page's charts are drawn in headless Chromium.
 *
 * The study is written straight into SQLite in one transaction (bench/ui-study.ts); its
 * build time is printed, not measured against anything.
 *
 *   node --import tsx bench/ui.ts [--trials 100000] [--repeat 7] [--no-page] [--no-optuna]
 *
 * Results: bench/results/ui-<trials>.json.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { PAGE_SCRIPTS } from "../tracker/server/assets.js";
import { STUDY_CHART_KINDS } from "../tracker/server/chart-specs.js";
import { startServer } from "../tracker/server/start.js";
import { readOptions } from "./args.js";
import { buildUiStudy } from "./ui-study.js";

const options = readOptions(process.argv.slice(2), "bench/ui.ts", ["trials", "repeat"], ["no-page", "no-optuna"]);
const N_TRIALS = Number(options.trials ?? 100_000);
const REPEAT = Number(options.repeat ?? 7);
const CHROMIUM = "/usr/bin/chromium";
const PYTHON = "/usr/bin/python3";
const STUDY_NAME = "bench-ui";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timed(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  return { ms: performance.now() - t0, bytes: body.byteLength, status: response.status };
}

/** Resident and peak resident memory of a process, in MB (Linux). */
function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
}

/** A tracker server in a process of its own (bench/ui-server.ts), ready to answer. */
async function serverProcess(path: string): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const script = new URL("./ui-server.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, ["--import", "tsx", script, path], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench/ui-server.ts exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("listening ")) resolve(line.slice("listening ".length).replace(/\/$/, ""));
    });
  });
  const stop = async () => {
    child.removeAllListeners("exit");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return { url, child, stop };
}

interface EndpointRow {
  path: string;
  coldMs: number;
  warmMs: number;
  kb: number;
  rssMb: number;
  peakRssMb: number;
}

/** The endpoint's first request in a fresh server, then the median of REPEAT more, and the server's memory. */
async function coldAndWarm(path: string, endpoint: string): Promise<EndpointRow> {
  const server = await serverProcess(path);
  try {
    const first = await timed(server.url + endpoint);
    if (first.status !== 200) throw new Error(`${endpoint} answered ${first.status}`);
    const warm: number[] = [];
    for (let i = 0; i < REPEAT; i++) warm.push((await timed(server.url + endpoint)).ms);
    return { path: endpoint, coldMs: first.ms, warmMs: median(warm), kb: first.bytes / 1024, ...memoryOf(server.child.pid!) };
  } finally {
    await server.stop();
  }
}

/** One server answering every endpoint once, in order: its total and its memory after. */
async function allInOne(path: string, endpoints: readonly string[]): Promise<{ totalMs: number; rssMb: number; peakRssMb: number }> {
  const server = await serverProcess(path);
  try {
    const t0 = performance.now();
    for (const endpoint of endpoints) {
      const { status } = await timed(server.url + endpoint);
      if (status !== 200) throw new Error(`${endpoint} answered ${status}`);
    }
    return { totalMs: performance.now() - t0, ...memoryOf(server.child.pid!) };
  } finally {
    await server.stop();
  }
}

/** Optuna's own read of the file (bench/ui_optuna.py); null without Python Optuna. */
function optunaRead(path: string): Record<string, number | string> | null {
  try {
    const args = [new URL("./ui_optuna.py", import.meta.url).pathname, path, STUDY_NAME];
    // trials_dataframe builds a pandas frame of every trial: measured where that stays quick.
    if (N_TRIALS <= 100_000) args.push("--dataframe");
    const out = execFileSync(PYTHON, args, { encoding: "utf8", maxBuffer: 1 << 20 });
    return JSON.parse(out.trim().split("\n").pop()!);
  } catch (error) {
    console.warn(`*** Optuna's read skipped: ${(error as Error).message.split("\n")[0]} ***`);
    return null;
  }
}

async function pageDrawTimes(path: string, studyId: number): Promise<{ coldMs: number; warmMs: number } | null> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`*** ${CHROMIUM} is missing: page timing skipped. ***`);
    return null;
  }
  const server = await startServer({ storage: `sqlite:${path}`, port: 0 });
  // Run from source, page scripts are transpiled on first request (a built install serves them
  // precompiled): fetch them first so the timing is the study's, not the compiler's.
  for (const name of PAGE_SCRIPTS) await fetch(`${server.url}static/${name}.js`);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const load = async () => {
      const t0 = performance.now();
      await page.goto(`${server.url}studies/${studyId}`);
      await page.waitForFunction(() => document.documentElement.dataset.chartsDone === "1", null, { timeout: 300_000 });
      return performance.now() - t0;
    };
    const coldMs = await load();
    const warmMs = await load();
    if (errors.length) console.warn("page errors:", errors);
    return { coldMs, warmMs };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tunebook-bench-ui-"));
  const path = join(dir, "bench.db");
  try {
    console.log(`Building a study of ${N_TRIALS.toLocaleString("en")} trials in ${path} ...`);
    const t0 = performance.now();
    const studyId = await buildUiStudy(path, N_TRIALS, STUDY_NAME);
    console.log(`  written in ${((performance.now() - t0) / 1000).toFixed(1)} s (bulk insert, triggers on)\n`);

    const base = `/api/studies/${studyId}`;
    const endpoints = [
      "/api/studies",
      base,
      `${base}/trials?limit=50`,
      `${base}/trials/${Math.floor(N_TRIALS / 2)}`,
      ...STUDY_CHART_KINDS.map((kind) => `${base}/charts/${kind}`),
    ];
    const rows: EndpointRow[] = [];
    for (const endpoint of endpoints) rows.push(await coldAndWarm(path, endpoint));
    const together = await allInOne(path, endpoints);

    console.log(`API latency: cold = first request to a fresh server process; warm = median of ${REPEAT} after it`);
    console.log(
      `  ${"endpoint".padEnd(44)}${"cold ms".padStart(9)}${"warm ms".padStart(9)}${"KB".padStart(8)}${"RSS MB".padStart(8)}${"peak MB".padStart(9)}`,
    );
    for (const r of rows)
      console.log(
        `  ${r.path.padEnd(44)}${r.coldMs.toFixed(0).padStart(9)}${r.warmMs.toFixed(1).padStart(9)}${r.kb.toFixed(1).padStart(8)}${r.rssMb.toFixed(0).padStart(8)}${r.peakRssMb.toFixed(0).padStart(9)}`,
      );
    const slowest = rows.reduce((a, b) => (b.coldMs > a.coldMs ? b : a));
    console.log(`  slowest cold: ${slowest.path} ${slowest.coldMs.toFixed(0)} ms`);
    console.log(
      `One server, every endpoint in turn: ${(together.totalMs / 1000).toFixed(2)} s; RSS ${together.rssMb.toFixed(0)} MB (peak ${together.peakRssMb.toFixed(0)} MB)`,
    );

    const optuna = options["no-optuna"] ? null : optunaRead(path);
    if (optuna) {
      console.log(
        `Optuna ${optuna.optuna}: load_study ${Number(optuna.load_study_s).toFixed(2)} s, get_trials ${Number(optuna.get_trials_s).toFixed(2)} s` +
          (optuna.trials_dataframe_s === undefined
            ? optuna.trials_dataframe === undefined
              ? ""
              : `, trials_dataframe ${optuna.trials_dataframe}`
            : `, trials_dataframe ${Number(optuna.trials_dataframe_s).toFixed(2)} s`) +
          `, peak RSS ${Number(optuna.peak_rss_mb).toFixed(0)} MB`,
      );
    }

    const page = options["no-page"] ? null : await pageDrawTimes(path, studyId);
    if (page) {
      console.log(`Study page, every chart drawn in headless Chromium:`);
      console.log(`  fresh server: ${(page.coldMs / 1000).toFixed(2)} s; reload (server warm): ${(page.warmMs / 1000).toFixed(2)} s`);
    }

    mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
    const out = new URL(`./results/ui-${N_TRIALS}.json`, import.meta.url);
    const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version };
    writeFileSync(
      out,
      `${JSON.stringify({ trials: N_TRIALS, repeat: REPEAT, machine, endpoints: rows, together, optuna, page }, null, 2)}\n`,
    );
    console.log(`\nwrote ${out.pathname}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
