import { isFeasible } from "../../core/feasibility.js";
import { dominates } from "../../core/math/pareto.js";
import { isBetter, type StudyDirection, type TrialRecord, type TrialState } from "../../core/records.js";
import { minimisedValues } from "../../tune/best-trials.js";
import type { MimeBundle } from "./output.js";
import { escapeHtml, formatValue } from "./table.js";

/** Everything the progress line shows; `progressBundle` draws it. */
export interface ProgressState {
  study: string;
  direction: StudyDirection;
  /** Trials this run will start (null: no trial limit). */
  planned: number | null;
  /** The run's time limit in seconds (null: none). */
  timeoutSeconds: number | null;
  /** Trials finished in this run. */
  done: number;
  counts: Record<"COMPLETE" | "PRUNED" | "FAIL", number>;
  /** Best feasible COMPLETE trial of the study so far (earlier runs included); one objective. */
  best: { value: number; number: number } | null;
  /** With several objectives: one direction each, and the feasible Pareto front so far (minimised values). */
  objectives?: { directions: readonly StudyDirection[]; front: number[][] };
  last: { number: number; state: TrialState; seconds: number | null } | null;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  status: "running" | "done" | "interrupted" | "failed";
  /** Why the run stopped, when it did. */
  note?: string;
  /** Why a stop criterion (`stop` of `tune`/`optimize`) ended the run, if one did: the line ends with it. */
  stopReason?: string;
}

/** Seconds, minutes or hours, as a person would say them. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes - hours * 60} min`;
}

/**
 * Seconds left: the average wall time per finished trial times the trials still to
 * run, capped by the time limit. Null when there is nothing to go on yet.
 */
export function estimateSecondsLeft(state: ProgressState): number | null {
  const elapsed = state.elapsedMs / 1000;
  const byTime = state.timeoutSeconds === null ? null : Math.max(0, state.timeoutSeconds - elapsed);
  if (state.planned === null || state.done === 0) return byTime;
  const byTrials = (elapsed / state.done) * Math.max(0, state.planned - state.done);
  return byTime === null ? byTrials : Math.min(byTime, byTrials);
}

/** The progress line as HTML (with a bar) and as text. */
export function progressBundle(state: ProgressState): MimeBundle {
  const parts: string[] = [];
  parts.push(state.planned === null ? `${state.done} trials` : `${state.done}/${state.planned} trials`);
  const other = (["PRUNED", "FAIL"] as const).filter((s) => state.counts[s] > 0).map((s) => `${state.counts[s]} ${s.toLowerCase()}`);
  if (other.length) parts[0] += ` (${other.join(", ")})`;
  if (state.objectives) {
    const { directions, front } = state.objectives;
    parts.push(
      front.length
        ? `Pareto front ${front.length} trial${front.length === 1 ? "" : "s"} (${directions.join(", ")})`
        : "no feasible complete trial yet",
    );
  } else {
    parts.push(
      state.best ? `best ${formatValue(state.best.value)} (trial ${state.best.number}, ${state.direction})` : "no complete trial yet",
    );
  }
  if (state.last) {
    parts.push(
      `last: trial ${state.last.number} ${state.last.state}${state.last.seconds === null ? "" : ` in ${formatDuration(state.last.seconds)}`}`,
    );
  }
  if (state.status === "running") {
    const left = estimateSecondsLeft(state);
    parts.push(left === null ? `elapsed ${formatDuration(state.elapsedMs / 1000)}` : `ETA ${formatDuration(left)}`);
  } else if (state.status === "done" && state.stopReason) {
    parts.push(`stopped after ${formatDuration(state.elapsedMs / 1000)} because ${state.stopReason}`);
  } else {
    parts.push(`${state.status === "done" ? "finished" : state.status} after ${formatDuration(state.elapsedMs / 1000)}`);
  }
  const head = `Study ${state.study}: `;
  const note = state.note ? `\n${state.note}` : "";
  const max = state.planned ?? Math.max(state.done, 1);
  const bar = `<progress value="${state.done}" max="${max}" style="width:12em;vertical-align:middle"></progress>`;
  const color = state.status === "interrupted" || state.status === "failed" ? "#b45309" : "inherit";
  const html =
    `<div class="tunebook-progress">${bar} <b>${escapeHtml(state.study)}</b> ${escapeHtml(parts.join(" · "))}` +
    (state.note ? `<br><span style="color:${color}">${escapeHtml(state.note)}</span>` : "") +
    `</div>`;
  return { "text/html": html, "text/plain": head + parts.join(" · ") + note };
}

/**
 * Where a run's progress goes: a display updated in place (`newDisplay()`, the
 * default), or a sink that also reads the state, such as a frontend's progress comm.
 */
export interface ProgressOutput {
  update(bundle: MimeBundle, options: { final: boolean; state: ProgressState }): void;
}

/** Milliseconds between two updates of the progress output (at most ~4 per second). */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * The live progress output of one run: one display updated in place after each
 * trial, throttled so fast trials do not flood the frontend; the latest state
 * always shows within one interval, and `finish` shows the final one at once.
 */
export class ProgressDisplay {
  private readonly state: ProgressState;
  private readonly started = Date.now();
  private lastSent = 0;
  private timer: NodeJS.Timeout | null = null;
  private finished = false;

  constructor(
    private readonly handle: ProgressOutput,
    init: Pick<ProgressState, "study" | "direction" | "planned" | "timeoutSeconds" | "best" | "objectives">,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {
    this.state = {
      ...init,
      ...(init.objectives
        ? { objectives: { directions: init.objectives.directions, front: init.objectives.front.map((p) => [...p]) } }
        : {}),
      done: 0,
      counts: { COMPLETE: 0, PRUNED: 0, FAIL: 0 },
      last: null,
      elapsedMs: 0,
      status: "running",
    };
    this.send();
  }

  /** Records a finished trial (an `optimize` callback). */
  onTrial(trial: TrialRecord): void {
    const s = this.state;
    s.done++;
    if (trial.state === "COMPLETE" || trial.state === "PRUNED" || trial.state === "FAIL") s.counts[trial.state]++;
    const counts = trial.state === "COMPLETE" && isFeasible(trial);
    if (counts && s.objectives && trial.values?.length === s.objectives.directions.length) {
      addToFront(s.objectives.front, minimisedValues(trial.values, s.objectives.directions));
    } else if (counts && trial.value !== null && (s.best === null || isBetter(s.direction, trial.value, s.best.value))) {
      s.best = { value: trial.value, number: trial.number };
    }
    const seconds =
      trial.datetimeStart && trial.datetimeComplete ? (trial.datetimeComplete.getTime() - trial.datetimeStart.getTime()) / 1000 : null;
    s.last = { number: trial.number, state: trial.state, seconds };
    this.schedule();
  }

  /** Shows the final state now; later `onTrial` calls are ignored. `stopReason`: why a stop criterion ended the run. */
  finish(status: Exclude<ProgressState["status"], "running">, note?: string, stopReason?: string): ProgressState {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state.status = status;
    this.state.note = note;
    this.state.stopReason = stopReason;
    this.send(true);
    return { ...this.state };
  }

  private schedule(): void {
    if (this.finished || this.timer) return;
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.finished) this.send();
    }, wait);
  }

  private send(final = false): void {
    this.state.elapsedMs = Date.now() - this.started;
    this.lastSent = Date.now();
    this.handle.update(progressBundle(this.state), { final, state: { ...this.state } });
  }
}

/** Adds a point to a Pareto front (minimisation) unless a point on it dominates it; drops the points it dominates. Ties stay. */
function addToFront(front: number[][], point: number[]): void {
  if (front.some((p) => dominates(p, point))) return;
  for (let i = front.length - 1; i >= 0; i--) if (dominates(point, front[i])) front.splice(i, 1);
  front.push(point);
}
