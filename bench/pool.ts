/**
 * Runs a benchmark's tasks on child processes: the benchmark's own script, forked with
 * `--worker`, answers one task at a time (`serveTasks`) while the coordinator hands out the
 * next (`runPool`). Tasks and results travel as JSON over the IPC channel.
 */
import { fork } from "node:child_process";

/** In the worker: runs each task the coordinator sends, and exits when told to stop. */
export function serveTasks<Task, Result>(run: (task: Task) => Promise<Result>): void {
  process.on("message", async (message: { task: Task } | { stop: true }) => {
    if ("stop" in message) process.exit(0);
    try {
      process.send!({ ok: await run(message.task) });
    } catch (error) {
      process.send!({ error: `${JSON.stringify(message.task)}: ${(error as Error).stack}` });
    }
  });
}

/**
 * In the coordinator: runs `tasks` in order on `workers` forks of `script` (started with
 * `--worker`), calling `onResult` as each finishes. Put the longest tasks first.
 */
export async function runPool<Task, Result>(
  script: string,
  tasks: readonly Task[],
  workers: number,
  onResult: (result: Result) => void,
): Promise<void> {
  const queue = [...tasks];
  const children = Array.from({ length: Math.max(1, Math.min(workers, queue.length)) }, () =>
    fork(script, ["--worker"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done, fail) => {
          const next = () => {
            const task = queue.shift();
            if (task === undefined) {
              child.send({ stop: true });
              done();
              return;
            }
            child.send({ task });
          };
          child.on("message", (message: { ok?: Result; error?: string }) => {
            if (message.error !== undefined) {
              child.kill();
              fail(new Error(message.error));
              return;
            }
            onResult(message.ok!);
            next();
          });
          child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`a benchmark worker exited with ${code}`))));
          next();
        }),
    ),
  );
}
