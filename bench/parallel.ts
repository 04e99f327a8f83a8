// Throughput of worker processes sharing one study.
//   npm run bench:parallel [-- --trials 40 --work 5 --postgres <url>]
// 1. CPU-bound objective (--work million arithmetic steps per trial): trials per second
//    with 1, 2 and 4 workers on SQLite; on a 2-core machine 2 workers should give ~2×
//    and 4 no more.
// 2. Coordination: a trivial objective, 8 workers, on SQLite and (if reachable) PostgreSQL:
//    trials per second the storage sustains when workers compete for it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closeStorages, createStudy, setVerbosity } from "../index.js";
import { testPostgres } from "../test/helpers/postgres.js";
import { median } from "./peer.js";

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "40" },
    work: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    "coordination-trials": { type: "string", default: "400" },
    postgres: { type: "string" },
  },
});
setVerbosity("silent");
const objective = new URL("../test/tune/fixtures/objectives.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tunebook-parallel-bench-"));

/**
 * Trials per second from the first trial's start to the last one's end: process start-up
 * (loading Node and the objective module, about a second each) is left out, as it is paid
 * once per worker however long the study runs.
 */
async function throughput(url: string, exportName: string, workers: number, trials: number): Promise<number> {
  const study = await createStudy({ storage: url, sampler: "random", seed: 0 });
  await study.optimize({ module: objective, export: exportName }, { workers, nTrials: trials });
  const done = await study.trials();
  const first = Math.min(...done.map((t) => t.datetimeStart!.getTime()));
  const last = Math.max(...done.map((t) => t.datetimeComplete!.getTime()));
  return done.length / ((last - first) / 1000);
}

const trials = Number(values.trials);
process.env.TUNEBOOK_TEST_WORK = values.work;
process.env.TUNEBOOK_TEST_DELAY_MS = "0";
const cpu: Record<string, number[]> = { 1: [], 2: [], 4: [] };
for (let round = 0; round < Number(values.rounds); round++) {
  for (const workers of [1, 2, 4]) {
    cpu[workers].push(await throughput(`sqlite:${join(dir, `cpu-${round}-${workers}.db`)}`, "cpuBound", workers, trials));
  }
}
const base = median(cpu[1]);
console.log(
  `CPU-bound objective (${values.work} million steps per trial), ${trials} trials, ${cpus().length} cores, median of ${values.rounds} rounds:`,
);
for (const workers of [1, 2, 4])
  console.log(
    `  ${workers} worker(s): ${median(cpu[workers]).toFixed(2)} trials/s  (${(median(cpu[workers]) / base).toFixed(2)}× one worker)`,
  );

const coordinationTrials = Number(values["coordination-trials"]);
const coordination: Record<string, number | null> = {};
coordination.sqlite = await throughput(`sqlite:${join(dir, "coordination.db")}`, "objective", 8, coordinationTrials);
// The local test cluster (started and prepared if needed), unless a URL is given.
let pgUrl: string | null = values.postgres ?? null;
let dropSchema: (() => Promise<void>) | null = null;
if (!pgUrl) {
  const server = await testPostgres();
  if (typeof server === "string") console.warn(`PostgreSQL not measured: ${server}`);
  else ({ url: pgUrl, drop: dropSchema } = await server.freshSchema());
}
coordination.postgres = pgUrl ? await throughput(pgUrl, "objective", 8, coordinationTrials) : null;
await dropSchema?.();
console.log(`\nCoordination, trivial objective, 8 workers, ${coordinationTrials} trials:`);
console.log(`  SQLite:     ${coordination.sqlite.toFixed(1)} trials/s`);
console.log(
  `  PostgreSQL: ${coordination.postgres === null ? "not measured (pass --postgres <url>)" : `${coordination.postgres.toFixed(1)} trials/s`}`,
);

await closeStorages();
rmSync(dir, { recursive: true, force: true });
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/parallel.json", import.meta.url),
  `${JSON.stringify(
    {
      kind: "parallel",
      cores: cpus().length,
      workMillionSteps: Number(values.work),
      trials,
      cpuTrialsPerSecond: cpu,
      speedup2: median(cpu[2]) / base,
      speedup4: median(cpu[4]) / base,
      coordination,
      date: new Date().toISOString(),
    },
    null,
    2,
  )}\n`,
);
