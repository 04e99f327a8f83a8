import { Worker } from "node:worker_threads";
import type { Storage } from "../tracker/storage/storage.js";
import { warn } from "./log.js";
import { connectionUrl } from "./storage.js";

/** Keeps the heartbeats of this process's running trials fresh. */
export interface Heartbeat {
  start(trialId: number): Promise<void>;
  stop(trialId: number): void;
}

/**
 * Heartbeats for storages reachable by URL come from a worker thread with its own
 * connection, so they keep beating while a CPU-bound objective blocks this thread;
 * in-memory storage beats from a timer (nothing else can see it anyway).
 */
export function createHeartbeat(storage: Storage, seconds: number): Heartbeat {
  return storage.url === ":memory:" ? new TimerHeartbeat(storage, seconds) : new ThreadHeartbeat(storage, seconds);
}

class TimerHeartbeat implements Heartbeat {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  constructor(
    private readonly storage: Storage,
    private readonly seconds: number,
  ) {}

  async start(trialId: number): Promise<void> {
    await this.storage.recordHeartbeat(trialId);
    const timer = setInterval(() => void this.storage.recordHeartbeat(trialId).catch(reportFailure), this.seconds * 1000);
    timer.unref();
    this.timers.set(trialId, timer);
  }

  stop(trialId: number): void {
    clearInterval(this.timers.get(trialId));
    this.timers.delete(trialId);
  }
}

class ThreadHeartbeat implements Heartbeat {
  private worker: Worker | null = null;
  private running = 0;
  constructor(
    private readonly storage: Storage,
    private readonly seconds: number,
  ) {}

  async start(trialId: number): Promise<void> {
    // The first beat is written before the objective runs, so a worker that dies at
    // once still leaves a trial that others can recognise as stale.
    await this.storage.recordHeartbeat(trialId);
    this.thread().postMessage({ start: trialId });
    if (this.running++ === 0) this.worker!.ref();
  }

  stop(trialId: number): void {
    this.worker?.postMessage({ stop: trialId });
    if (--this.running === 0) this.worker?.unref();
  }

  private thread(): Worker {
    if (!this.worker) {
      const workerData = { url: connectionUrl(this.storage), seconds: this.seconds };
      this.worker = import.meta.url.endsWith(".ts")
        ? // Run from source: a thread does not inherit tsx's hooks, so it registers them before loading the TypeScript entry.
          new Worker(
            `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL("./heartbeat-thread.ts", import.meta.url).href)}); })`,
            { eval: true, workerData },
          )
        : new Worker(new URL("./heartbeat-thread.js", import.meta.url), { workerData });
      this.worker.on("error", reportFailure);
      this.worker.unref();
    }
    return this.worker;
  }
}

function reportFailure(error: unknown): void {
  warn(`heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
}
