import { isFinished, type JsonValue, type StudyDirection, setOwn, type TrialRecord, type TrialState } from "../core/records.js";
import type { Storage } from "../tracker/storage/storage.js";

/**
 * A study's trials kept in memory and refreshed incrementally: finished trials never
 * change, so once every trial before a point is finished and cached, a refresh reads
 * only what comes after it. Samplers and pruners read it (sampling never waits on
 * storage), and so does the UI (a 100,000-trial study is read once, then in steps).
 * Trials this process runs can be tracked live: their in-memory record is the truth.
 */
export class TrialCache {
  private readonly byId = new Map<number, TrialRecord>();
  /** All trials with a smaller id are finished and cached. */
  private frontier = 0;
  /** Cached trials at or past the frontier: the only ones a refresh may change. */
  private readonly beyondFrontier = new Set<number>();
  private sorted: TrialRecord[] | null = null;
  private readonly byStates = new Map<string, TrialRecord[]>();
  /** Ids of trials this process is running: their in-memory record is the fresh one. */
  private readonly live = new Set<number>();
  /** System attributes samplers set on trials being started, not yet written. */
  private readonly unwritten: { trialId: number; key: string; value: JsonValue }[] = [];

  constructor(
    private readonly storage: Storage,
    readonly studyId: number,
    readonly name: string,
    readonly directions: readonly StudyDirection[],
  ) {}

  get direction(): StudyDirection {
    return this.directions[0];
  }

  /** Reads trials that are new or were unfinished at the last refresh. */
  async refresh(): Promise<void> {
    const fresh = await this.storage.getAllTrials(this.studyId, { fromTrialId: this.frontier });
    if (fresh.length === 0) return;
    for (const t of fresh) {
      // A trial this process runs is fresher in memory than in storage (writes are queued).
      if (this.live.has(t.trialId) && t.state === "RUNNING") continue;
      this.put(t);
    }
    this.invalidate();
    this.advanceFrontier();
  }

  /** A trial this process runs: the view shows this record, which the trial mutates in place. */
  track(record: TrialRecord): void {
    this.live.add(record.trialId);
    this.put(record);
    this.invalidate();
  }

  /** A tracked trial finished (its record was mutated in place). */
  finished(record: TrialRecord): void {
    this.live.delete(record.trialId);
    this.invalidate();
    this.advanceFrontier();
  }

  /** See `StudyView.setTrialSystemAttr`; `writeSystemAttrs` writes them. */
  setTrialSystemAttr(trial: TrialRecord, key: string, value: JsonValue): void {
    if (!this.live.has(trial.trialId)) throw new Error(`setTrialSystemAttr: trial ${trial.number} is not one this process is starting`);
    setOwn(trial.systemAttrs, key, value);
    this.unwritten.push({ trialId: trial.trialId, key, value });
  }

  /** Writes the system attributes samplers set since the last call. */
  async writeSystemAttrs(): Promise<void> {
    for (const { trialId, key, value } of this.unwritten.splice(0)) await this.storage.setTrialSystemAttr(trialId, key, value);
  }

  trials(states?: readonly TrialState[]): readonly TrialRecord[] {
    if (!this.sorted) this.sorted = [...this.byId.values()].sort((a, b) => a.number - b.number);
    if (!states) return this.sorted;
    const key = states.join(",");
    let list = this.byStates.get(key);
    if (!list) {
      list = this.sorted.filter((t) => states.includes(t.state));
      this.byStates.set(key, list);
    }
    return list;
  }

  private invalidate(): void {
    this.sorted = null;
    this.byStates.clear();
  }

  private put(record: TrialRecord): void {
    this.byId.set(record.trialId, record);
    if (record.trialId >= this.frontier) this.beyondFrontier.add(record.trialId);
  }

  /** Moves the frontier past every finished trial at its front; touches only trials beyond it. */
  private advanceFrontier(): void {
    const ids = [...this.beyondFrontier].sort((a, b) => a - b);
    for (const id of ids) {
      if (!isFinished(this.byId.get(id)!.state)) return;
      this.frontier = id + 1;
      this.beyondFrontier.delete(id);
    }
  }
}
