import { type Comm, type CommManager, comms } from "./comms.js";
import type { ProgressOutput } from "./display/progress.js";

/**
 * Live progress through a comm, for frontends with a progress widget. A frontend
 * says it renders progress by opening a comm to the target `tunebook.progress`
 * (and registering that target itself). While such a comm is open, each run of
 * `tune` / `%%tune` opens its own comm to `tunebook.progress`, its parent the cell's
 * execute request:
 *
 * - `comm_open`, then a `comm_msg` per update, with data `{ state, bundle, final }`:
 *   `state` is the run's `ProgressState` (trials done and planned, counts by state,
 *   best so far, last trial, elapsed time, status), `bundle` the progress line as
 *   `text/plain` and `text/html`, `final` true on the last update;
 * - `comm_close` after the final update.
 *
 * Without such a comm (the usual case) progress is the display updated in place, and
 * so it is for the rest of a run whose comm the frontend closes.
 */

export const PROGRESS_TARGET = "tunebook.progress";

const announced = new Set<string>();

/** Lets frontends announce a progress widget (the kernel calls this once at start). */
export function registerProgressTarget(manager: CommManager = comms): void {
  manager.registerTarget(PROGRESS_TARGET, (comm) => {
    announced.add(comm.id);
    comm.onClose(() => announced.delete(comm.id));
  });
}

/**
 * A run's progress output: through a new comm when a frontend announced a progress
 * widget, else `fallback()`. Should the frontend close the comm (say it no longer has
 * the target), the run goes on in `fallback()`.
 */
export function progressOutput(fallback: () => ProgressOutput, manager: CommManager = comms): ProgressOutput {
  if (announced.size === 0) return fallback();
  let comm: Comm | null = null;
  let instead: ProgressOutput | null = null;
  return {
    update(bundle, options) {
      if (instead) {
        instead.update(bundle, options);
        return;
      }
      const { final, state } = options;
      const data = { state, bundle: { "text/plain": bundle["text/plain"], "text/html": bundle["text/html"] }, final };
      if (comm === null) {
        comm = manager.openComm(PROGRESS_TARGET, data);
        if (comm === null) {
          // No transport (not in a kernel).
          instead = fallback();
          instead.update(bundle, options);
          return;
        }
        comm.onClose(() => {
          instead ??= fallback();
        });
      } else {
        comm.send(data);
      }
      if (final) comm.close();
    },
  };
}
