// Entry of a worker process spawned by `optimize(..., { workers })`: runs one worker and
// reports each finished trial to the parent over IPC.
import { describeThrown } from "./optimize.js";
import { WORKER_OPTIONS_VARIABLE, type WorkerMessage } from "./parallel.js";
import type { Study } from "./study.js";
import { runWorker, type WorkerOptions } from "./worker.js";

const options = JSON.parse(process.env[WORKER_OPTIONS_VARIABLE] ?? "{}") as WorkerOptions;
delete process.env[WORKER_OPTIONS_VARIABLE];
const send = (message: WorkerMessage) => process.send?.(message);
let study: Study | null = null;
let stopRequested = false;
process.on("message", (message: { stop?: boolean }) => {
  if (!message.stop) return;
  stopRequested = true;
  study?.stop();
});

try {
  const result = await runWorker(
    options,
    (trial) => send({ trial }),
    (s) => {
      study = s;
      if (stopRequested) s.stop();
    },
  );
  send({ result });
  if (process.connected) process.disconnect();
} catch (error) {
  send({ error: describeThrown(error) });
  if (process.connected) process.disconnect();
  process.exitCode = 1;
}
