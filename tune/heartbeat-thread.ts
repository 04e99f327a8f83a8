// Worker thread that records heartbeats of running trials through its own storage connection.
import { parentPort, workerData } from "node:worker_threads";
import { openStorage } from "../tracker/storage/open.js";

const { url, seconds } = workerData as { url: string; seconds: number };
const storage = openStorage(url, { mustExist: true });
const trials = new Set<number>();

parentPort!.on("message", (message: { start?: number; stop?: number }) => {
  if (message.start !== undefined) trials.add(message.start);
  if (message.stop !== undefined) trials.delete(message.stop);
});

setInterval(() => {
  for (const trialId of trials) {
    storage
      .recordHeartbeat(trialId)
      .catch((error: Error) => process.stderr.write(`[tunebook] heartbeat of trial ${trialId} failed: ${error.message}\n`));
  }
}, seconds * 1000);
