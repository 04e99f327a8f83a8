/**
 * How a Jupyter interrupt reaches a running study. The kernel process turns SIGINT
 * into `requestInterrupt()`; `tune` registers each run so the first interrupt stops
 * it gently: no new trial starts, running trials finish and are recorded, and the
 * cell ends reporting how far it got. A second interrupt is left to the kernel's
 * hard stop (the cell returns at once; running trials still finish in the background).
 */

const runs = new Set<AbortController>();
let interruptedCell = false;

/** A signal for one run, aborted by a kernel interrupt or by `parent`; call `done()` at the end. */
export function interruptibleRun(parent?: AbortSignal): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const forward = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", forward, { once: true });
  runs.add(controller);
  return {
    signal: controller.signal,
    done() {
      runs.delete(controller);
      parent?.removeEventListener("abort", forward);
    },
  };
}

/**
 * Stops the registered runs that are still going. Returns false when there was
 * none to stop, so the caller interrupts the cell itself.
 */
export function requestInterrupt(): boolean {
  let stopped = false;
  for (const controller of runs) {
    if (controller.signal.aborted) continue;
    controller.abort(new Error("interrupted"));
    stopped = true;
  }
  if (stopped) interruptedCell = true;
  return stopped;
}

/** True if a run is registered and not yet stopped. */
export function hasLiveRun(): boolean {
  for (const controller of runs) if (!controller.signal.aborted) return true;
  return false;
}

/** Called by the kernel around each cell: was a run of this cell interrupted? */
export function takeCellInterrupted(): boolean {
  const was = interruptedCell;
  interruptedCell = false;
  return was;
}
