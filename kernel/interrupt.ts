/**
 * How a Jupyter interrupt reaches a running study. The kernel process turns SIGINT
 * into `requestInterrupt()`; `tune` registers each run so the first interrupt stops
 * it gently: no new trial starts, running trials finish and are recorded, and the
 * cell ends reporting how far it got. A second interrupt abandons the runs: the cell
 * returns at once, and the running trials still finish (and are recorded) in the
 * background, without showing anything more.
 */

interface Run {
  controller: AbortController;
  abandoned: boolean;
}

const runs = new Set<Run>();
let interruptedCell = false;

/** One registered run: its signal, whether the cell gave up waiting for it, and `done()` for the end. */
export interface InterruptibleRun {
  signal: AbortSignal;
  /** True once a second interrupt made the cell stop waiting for this run. */
  abandoned(): boolean;
  done(): void;
}

/** A signal for one run, aborted by a kernel interrupt or by `parent`; call `done()` at the end. */
export function interruptibleRun(parent?: AbortSignal): InterruptibleRun {
  const run: Run = { controller: new AbortController(), abandoned: false };
  const forward = () => run.controller.abort(parent?.reason);
  if (parent?.aborted) run.controller.abort(parent.reason);
  else parent?.addEventListener("abort", forward, { once: true });
  runs.add(run);
  return {
    signal: run.controller.signal,
    abandoned: () => run.abandoned,
    done() {
      runs.delete(run);
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
  for (const run of runs) {
    if (run.controller.signal.aborted) continue;
    run.controller.abort(new Error("interrupted"));
    stopped = true;
  }
  if (stopped) interruptedCell = true;
  return stopped;
}

/** The cell stops waiting for the runs (a second interrupt); they end on their own. */
export function abandonRuns(): void {
  for (const run of runs) run.abandoned = true;
}

/** Called by the kernel around each cell: was a run of this cell interrupted? */
export function takeCellInterrupted(): boolean {
  const was = interruptedCell;
  interruptedCell = false;
  return was;
}
