import { isFinished, type StudySummary, TRIAL_STATES, type TrialRecord } from "../../core/records.js";
import { TrialCache } from "../../tune/trial-cache.js";
import type { Storage } from "../storage/storage.js";

/**
 * One study as the server holds it: its summary, its trials in a `TrialCache` (read
 * from storage once, then only from the first unfinished trial on), a version that
 * changes whenever anything shown changes, and results memoised per version — a
 * 100,000-trial study is sorted, summarised and analysed once per change, not once
 * per request.
 */
export class CachedStudy {
  summary!: StudySummary;
  version = "";
  private readonly trialCache: TrialCache;
  private memo = new Map<string, unknown>();
  private refreshing: Promise<void> | null = null;
  private lastRefresh = -Infinity;
  private summaryTime = -Infinity;

  constructor(
    private readonly storage: Storage,
    readonly studyId: number,
    private readonly minRefreshMs: number,
  ) {
    // Name and direction are filled from the summary at the first refresh.
    this.trialCache = new TrialCache(storage, studyId, "", "minimize");
  }

  get trials(): readonly TrialRecord[] {
    return this.trialCache.trials();
  }

  /**
   * Brings the study up to date, at most once per `minRefreshMs`; concurrent callers
   * share one read. The trials are read incrementally; the summary (whose aggregates
   * cost the storage a scan of the study) is re-read only when the trials changed, or
   * every `SUMMARY_MAX_AGE_MS` for study attributes.
   */
  async refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (performance.now() - this.lastRefresh < this.minRefreshMs) return;
    this.refreshing = (async () => {
      try {
        await this.trialCache.refresh();
        const version = versionOf(this.trialCache.trials());
        const now = performance.now();
        if (version !== this.version || now - this.summaryTime > SUMMARY_MAX_AGE_MS) {
          this.summary = await this.storage.getStudy(this.studyId);
          this.summaryTime = now;
        }
        if (version !== this.version) {
          this.version = version;
          this.memo = new Map();
        }
        this.lastRefresh = performance.now();
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** `compute()` once per version and key. */
  memoise<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    // Bound the memo: a client paging through many sort orders must not grow it forever.
    if (this.memo.size > 64) this.memo.delete(this.memo.keys().next().value as string);
    return value;
  }
}

/** Study attributes (sampler name, ...) may change without any trial changing: re-read them this often. */
const SUMMARY_MAX_AGE_MS = 30_000;

/**
 * Trial count, counts by state, the latest time, and for unfinished trials what can
 * still change (state, reported steps, params): finished trials are immutable, so
 * this covers every change the pages show.
 */
function versionOf(trials: readonly TrialRecord[]): string {
  const counts = new Array<number>(TRIAL_STATES.length).fill(0);
  let unfinished = 0;
  let latest = 0;
  for (const t of trials) {
    const state = TRIAL_STATES.indexOf(t.state);
    counts[state]++;
    const time = t.datetimeComplete ?? t.datetimeStart;
    if (time && time.getTime() > latest) latest = time.getTime();
    if (isFinished(t.state)) continue;
    const steps = Object.keys(t.intermediateValues).length;
    const params = Object.keys(t.params).length;
    unfinished = (Math.imul(unfinished, 31) + state * 7919 + steps * 131 + params + t.number) | 0;
  }
  return `${trials.length}-${counts.join(".")}-${(unfinished >>> 0).toString(36)}-${latest.toString(36)}`;
}

/** Per-study caches, least recently used dropped beyond `maxStudies`. */
export class StudyCaches {
  private readonly studies = new Map<number, CachedStudy>();

  constructor(
    private readonly storage: Storage,
    private readonly options: { minRefreshMs: number; maxStudies: number },
  ) {}

  /** The study, refreshed; throws the storage's `NotFoundError` for an unknown id. */
  async get(studyId: number): Promise<CachedStudy> {
    let study = this.studies.get(studyId);
    if (study) this.studies.delete(studyId);
    else study = new CachedStudy(this.storage, studyId, this.options.minRefreshMs);
    this.studies.set(studyId, study);
    try {
      await study.refresh();
    } catch (error) {
      this.studies.delete(studyId);
      throw error;
    }
    while (this.studies.size > this.options.maxStudies) this.studies.delete(this.studies.keys().next().value as number);
    return study;
  }
}
