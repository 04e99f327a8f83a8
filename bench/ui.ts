/**
 * The tracker UI on a 100,000-trial study: API latency of the study, trials and chart
 * endpoints (first request, which reads the study into the server's cache, then the
 * median of warm requests, each of which still refreshes incrementally), and the
 * time until the study page's charts are drawn in headless Chromium.
 *
 *   node --import tsx bench/ui.ts [--trials 100000] [--repeat 7]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { DistributionJson } from "../core/records.js";
import { Rng } from "../core/rng.js";
import { PAGE_SCRIPTS } from "../tracker/server/assets.js";
import { STUDY_CHART_KINDS } from "../tracker/server/chart-specs.js";
import { type RunningServer, startServer } from "../tracker/server/start.js";
import { openStorage } from "../tracker/storage/open.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N_TRIALS = option("trials", 100_000);
const REPEAT = option("repeat", 7);
const CHROMIUM = "/usr/bin/chromium";

const DISTRIBUTIONS: Record<string, DistributionJson> = {
  x: { name: "FloatDistribution", attributes: { low: -5, high: 5, log: false, step: null } },
  y: { name: "FloatDistribution", attributes: { low: -5, high: 5, log: false, step: null } },
  lr: { name: "FloatDistribution", attributes: { low: 1e-5, high: 1, log: true, step: null } },
  depth: { name: "IntDistribution", attributes: { low: 1, high: 12, log: false, step: 1 } },
  kernel: { name: "CategoricalDistribution", attributes: { choices: ["linear", "rbf", "poly"] } },
};

async function buildStudy(path: string): Promise<{ studyId: number; seconds: number }> {
  const storage = openStorage(`sqlite:${path}`);
  const rng = new Rng(1);
  const t0 = performance.now();
  const studyId = await storage.createStudy({ name: "bench-100k", direction: "minimize", experiment: "bench" });
  await storage.setStudySystemAttr(studyId, "tunebook:sampler", "RandomSampler");
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < N_TRIALS; i++) {
    const x = rng.uniform(-5, 5);
    const y = rng.uniform(-5, 5);
    const lr = Math.exp(rng.uniform(Math.log(1e-5), 0));
    const depth = rng.integer(1, 12);
    const kernel = ["linear", "rbf", "poly"][rng.integer(0, 2)];
    const value = (x - 1) ** 2 + 0.2 * y ** 2 + 0.1 * Math.abs(Math.log10(lr) + 3) + (kernel === "rbf" ? 0 : 0.3) + rng.normal() * 0.05;
    const pruned = i % 10 === 9;
    const failed = i % 100 === 42;
    const steps: Record<number, number> = {};
    for (let s = 0; s < (pruned ? 1 : 3); s++) steps[s] = value + 2 / (s + 1);
    const at = start + i * 1000;
    await storage.createTrial(studyId, {
      state: failed ? "FAIL" : pruned ? "PRUNED" : "COMPLETE",
      params: { x, y, lr, depth, kernel },
      distributions: DISTRIBUTIONS,
      value: failed || pruned ? null : value,
      intermediateValues: failed ? {} : steps,
      datetimeStart: new Date(at),
      datetimeComplete: new Date(at + 800),
      ...(failed ? { error: "diverged" } : {}),
    });
  }
  await storage.close();
  return { studyId, seconds: (performance.now() - t0) / 1000 };
}

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

/** First request, then the median of REPEAT more. */
async function latency(server: RunningServer, path: string): Promise<{ path: string; firstMs: number; warmMs: number; kb: number }> {
  const url = server.url.replace(/\/$/, "") + path;
  const first = await timed(url);
  if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
  const warm: number[] = [];
  for (let i = 0; i < REPEAT; i++) warm.push((await timed(url)).ms);
  return { path, firstMs: first.ms, warmMs: median(warm), kb: first.bytes / 1024 };
}

async function pageDrawTimes(server: RunningServer, studyId: number): Promise<{ coldMs: number; warmMs: number } | null> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`*** ${CHROMIUM} is missing: page timing skipped. ***`);
    return null;
  }
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
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
      const ms = performance.now() - t0;
      const drawn = await page.evaluate(
        () => Array.from(document.querySelectorAll("[data-chart]")).filter((el) => el.querySelector("svg, canvas")).length,
      );
      if (drawn !== STUDY_CHART_KINDS.length) console.warn(`only ${drawn} of ${STUDY_CHART_KINDS.length} charts drawn`);
      return ms;
    };
    const coldMs = await load();
    const warmMs = await load();
    if (errors.length) console.warn("page errors:", errors);
    return { coldMs, warmMs };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tunebook-bench-ui-"));
  const path = join(dir, "bench.db");
  try {
    console.log(`Building a study of ${N_TRIALS.toLocaleString("en")} trials in ${path} ...`);
    const { studyId, seconds } = await buildStudy(path);
    console.log(
      `  written in ${seconds.toFixed(1)} s (${Math.round(N_TRIALS / seconds).toLocaleString("en")} trials/s through createTrial)\n`,
    );

    // Storage read, for reference: what a cache-less server would pay on every request.
    const reader = openStorage(`sqlite:${path}`, { mustExist: true });
    const r0 = performance.now();
    await reader.getAllTrials(studyId);
    const readMs = performance.now() - r0;
    await reader.close();

    // Every warm request still asks storage for changes (refreshIntervalMs 0): the worst case.
    let server = await startServer({ storage: `sqlite:${path}`, port: 0, refreshIntervalMs: 0 });
    const rows = [] as Awaited<ReturnType<typeof latency>>[];
    rows.push(await latency(server, `/api/studies/${studyId}`));
    rows.push(await latency(server, `/api/studies/${studyId}/trials?limit=50`));
    rows.push(await latency(server, `/api/studies/${studyId}/trials?sort=value&order=desc&limit=50&offset=5000`));
    rows.push(await latency(server, `/api/studies/${studyId}/trials?state=COMPLETE&range=x:0:2&sort=param:lr&limit=100`));
    for (const kind of STUDY_CHART_KINDS) rows.push(await latency(server, `/api/studies/${studyId}/charts/${kind}`));
    rows.push(await latency(server, `/api/studies`));
    await server.close();

    console.log(`storage.getAllTrials of ${N_TRIALS.toLocaleString("en")} trials (SQLite): ${readMs.toFixed(0)} ms\n`);
    console.log(`API latency (first request reads the study into the cache; warm = median of ${REPEAT})`);
    console.log(`  ${"endpoint".padEnd(92)}${"first ms".padStart(10)}${"warm ms".padStart(10)}${"KB".padStart(9)}`);
    for (const r of rows)
      console.log(
        `  ${r.path.padEnd(92)}${r.firstMs.toFixed(1).padStart(10)}${r.warmMs.toFixed(1).padStart(10)}${r.kb.toFixed(1).padStart(9)}`,
      );

    server = await startServer({ storage: `sqlite:${path}`, port: 0 });
    // Run from source, page scripts are transpiled on first request (a built install serves them
    // precompiled): fetch them first so the timing is the study's, not the compiler's.
    for (const name of PAGE_SCRIPTS) await fetch(`${server.url}static/${name}.js`);
    const page = await pageDrawTimes(server, studyId);
    await server.close();
    if (page) {
      console.log(`\nStudy page, all ${STUDY_CHART_KINDS.length} charts drawn in headless Chromium:`);
      console.log(`  fresh server (study read from SQLite, every chart computed): ${(page.coldMs / 1000).toFixed(2)} s`);
      console.log(`  reload (server cache warm):                                  ${(page.warmMs / 1000).toFixed(2)} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
