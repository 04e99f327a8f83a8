import { type ChildProcess, fork } from "node:child_process";
import { resolve } from "node:path";
import { show, TunebookError, ValueError } from "../core/errors.js";
import type { TrialRecord } from "../core/records.js";
import { MAX_SEED } from "../core/rng.js";
import { loadObjectiveModule, type ObjectiveModule } from "./objective-module.js";
import type { Callback, OptimizeResult } from "./optimize.js";
import { PRUNER_NAMES, type PrunerName } from "./pruners/index.js";
import { SAMPLER_NAMES, type SamplerName } from "./samplers/registry.js";
import { connectionUrl } from "./storage.js";
import type { Study } from "./study.js";
import type { WorkerOptions } from "./worker.js";

export interface ParallelOptions {
  workers: number;
  nTrials?: number;
  totalTrials?: number;
  timeoutSeconds?: number;
  callbacks?: readonly Callback[];
  signal?: AbortSignal;
  /** Whether `study.stop()` was called (before the run, or from a callback): the workers are then told to stop. */
  stopRequested: () => boolean;
}

/** Messages a worker process sends its parent. */
/** The environment variable that hands a worker process its options. */
export const WORKER_OPTIONS_VARIABLE = "TUNEBOOK_WORKER_OPTIONS";

export type WorkerMessage = { trial: TrialRecord } | { result: OptimizeResult } | { error: string };

/**
 * Runs a study's trials in `workers` processes that share it through storage: for
 * CPU-bound objectives, which would block each other on one event loop. The budget
 * (`nTrials` from now, or `totalTrials` for the study) is shared exactly.
 */
export async function optimizeInWorkers(
  study: Study,
  objective: ObjectiveModule,
  options: ParallelOptions,
  seed: number | undefined,
): Promise<OptimizeResult> {
  if (study.storage.url === ":memory:") {
    throw new ValueError(
      "optimize: workers share the study through storage, and :memory: lives in one process; use a SQLite file (the default ./tunebook.db) or PostgreSQL.",
    );
  }
  // Loaded here too, so a bad module fails before any process starts.
  const { studyOptions } = await loadObjectiveModule(objective.module, objective.export);
  const samplerByName = SAMPLER_NAMES.includes(study.sampler.name as SamplerName);
  if (!samplerByName && studyOptions.sampler === undefined) {
    throw new ValueError(
      `optimize: worker processes rebuild the sampler by name, and ${show(study.sampler.name)} is not one (${SAMPLER_NAMES.join(", ")}); export studyOptions = { sampler: ... } from ${show(objective.module)} instead.`,
    );
  }
  let totalTrials = options.totalTrials;
  if (options.nTrials !== undefined) {
    const counted = await study.storage.countTrials(study.studyId, ["RUNNING", "COMPLETE", "PRUNED", "WAITING"]);
    totalTrials = Math.min(totalTrials ?? Infinity, counted + options.nTrials);
  }
  if (options.stopRequested()) return { trialsRun: 0, stoppedBy: "stop" };
  const base: WorkerOptions = {
    script: resolve(objective.module),
    exportName: objective.export,
    storage: connectionUrl(study.storage),
    study: study.name,
    totalTrials,
    timeoutSeconds: options.timeoutSeconds,
    sampler: samplerByName ? (study.sampler.name as SamplerName) : undefined,
    pruner: PRUNER_NAMES.includes(study.pruner.name as PrunerName) ? (study.pruner.name as PrunerName) : undefined,
  };

  const children: ChildProcess[] = [];
  const results: OptimizeResult[] = [];
  const errors: string[] = [];
  let callbacks = Promise.resolve();
  // A child that already exited has closed its channel; a failed send is harmless.
  const stopAll = () =>
    children.forEach((c) => {
      c.connected && c.send({ stop: true }, () => {});
    });
  options.signal?.addEventListener("abort", stopAll, { once: true });

  await Promise.all(
    Array.from(
      { length: options.workers },
      (_, i) =>
        new Promise<void>((done) => {
          const workerOptions = { ...base, seed: seed === undefined ? undefined : (seed + i + 1) % (MAX_SEED + 1) };
          // The options hold the storage URL, password included: in the environment, which
          // only this user can read, rather than in the arguments, which `ps` shows everyone.
          const child = fork(workerEntry(), [], {
            env: { ...process.env, [WORKER_OPTIONS_VARIABLE]: JSON.stringify(workerOptions) },
            execArgv: loaderArgs(),
            stdio: ["ignore", "inherit", "inherit", "ipc"],
          });
          children.push(child);
          child.on("error", (error) => errors.push(`worker ${i} could not run: ${error.message}`));
          child.on("message", (message: WorkerMessage) => {
            if ("trial" in message) {
              const trial = reviveDates(message.trial);
              callbacks = callbacks.then(async () => {
                for (const callback of options.callbacks ?? []) await callback(study, trial);
                if (options.stopRequested()) stopAll();
              });
            } else if ("result" in message) {
              results.push(message.result);
            } else {
              errors.push(`worker ${i}: ${message.error}`);
              stopAll();
            }
          });
          child.on("exit", (code, signal) => {
            if (code !== 0 && !errors.some((e) => e.startsWith(`worker ${i}:`)))
              errors.push(`worker ${i} exited with ${signal ?? `code ${code}`}`);
            done();
          });
        }),
    ),
  );
  options.signal?.removeEventListener("abort", stopAll);
  await callbacks;
  if (errors.length) throw new TunebookError(`optimize with ${options.workers} workers failed:\n${errors.join("\n")}`);
  const order: OptimizeResult["stoppedBy"][] = ["signal", "stop", "timeout", "totalTrials", "nTrials", "exhausted"];
  return {
    trialsRun: results.reduce((sum, r) => sum + r.trialsRun, 0),
    stoppedBy: order.find((reason) => results.some((r) => r.stoppedBy === reason)) ?? "stop",
  };
}

function workerEntry(): string {
  const source = import.meta.url.endsWith(".ts");
  return new URL(source ? "./worker-main.ts" : "./worker-main.js", import.meta.url).pathname;
}

/** This package run from source loads through tsx; a TypeScript objective module registers tsx itself when loaded. */
function loaderArgs(): string[] {
  return import.meta.url.endsWith(".ts") ? ["--import", import.meta.resolve("tsx")] : [];
}

function reviveDates(trial: TrialRecord): TrialRecord {
  return {
    ...trial,
    datetimeStart: trial.datetimeStart && new Date(trial.datetimeStart),
    datetimeComplete: trial.datetimeComplete && new Date(trial.datetimeComplete),
  };
}
