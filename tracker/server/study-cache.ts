import { NotFoundError } from "../../core/errors.js";
import { isFinished, type StudySummary, TRIAL_STATES, type TrialRecord } from "../../core/records.js";
import { TrialCache } from "../../tune/trial-cache.js";
import type { Storage } from "../storage/storage.js";

/**
 * One study as the server holds it: its summary, its trials in a `TrialCache` (read
 * from storage once, then only from the first unfinished trial on), a version that
 * changes whenever anything shown changes, and results memoised per version — a
 * 100,000-trial study is sorted, summarised and analysed once per change, not once
 * per request.
 *
 * An id may come to name another study: SQLite gives a new study (and its trials) the
 * ids after the largest left, so deleting the last study and creating one reuses its
 * id, and maybe its trials' ids. Each refresh first checks, with two indexed lookups,
 * that the id still names the study read before; if not, everything is read afresh.
 */
export class CachedStudy {
  version = "";
  private current: StudySummary | null = null;
  private trialCache!: TrialCache;
  private generation = 0;
  private trialsVersion = "";
  private attrsVersion = "";
  private memo = new Map<string, unknown>();
  private refreshing: Promise<void> | null = null;
  private lastRefresh = -Infinity;
  private summaryTime = -Infinity;

  constructor(
    private readonly storage: Storage,
    readonly studyId: number,
    private readonly minRefreshMs: number,
    /** How often the summary, and so the study's attributes, is re-read when no trial changed. */
    private readonly summaryMaxAgeMs = SUMMARY_MAX_AGE_MS,
  ) {
    this.forget();
  }

  /** The study's summary, as of the last refresh (the first one reads it). */
  get summary(): StudySummary {
    if (!this.current) throw new Error(`CachedStudy ${this.studyId}: read before its first refresh.`);
    return this.current;
  }

  get trials(): readonly TrialRecord[] {
    return this.trialCache.trials();
  }

  /**
   * Brings the study up to date, at most once per `minRefreshMs`; concurrent callers
   * share one read. The trials are read incrementally; the summary (whose aggregates
   * cost the storage a scan of the study) is re-read only when the trials changed, or
   * every `summaryMaxAgeMs` for study attributes.
   */
  async refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (performance.now() - this.lastRefresh < this.minRefreshMs) return;
    this.refreshing = (async () => {
      try {
        if (this.current && !(await this.stillSameStudy())) this.forget();
        await this.read();
        // Replaced while being read (the name changed under us): read it all once more.
        if (!(await this.stillSameStudy())) {
          this.forget();
          await this.read();
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

  private async read(): Promise<void> {
    await this.trialCache.refresh();
    const trials = this.trialCache.trials();
    const trialsVersion = versionOf(trials);
    const now = performance.now();
    // A study without trials has a summary that costs nothing to read: read it every time.
    const stale = now - this.summaryTime > this.summaryMaxAgeMs || trials.length === 0;
    let attrsVersion = this.attrsVersion;
    if (!this.current || trialsVersion !== this.trialsVersion || stale) {
      this.current = await this.storage.getStudy(this.studyId);
      this.summaryTime = now;
      // Charts read study attributes too (a lockbox look, a recorded curve, convergence): a
      // change there is a new version as much as a finished trial.
      attrsVersion = attributesVersion(this.current);
    }
    if (trialsVersion !== this.trialsVersion || attrsVersion !== this.attrsVersion) {
      this.trialsVersion = trialsVersion;
      this.attrsVersion = attrsVersion;
      this.memo = new Map();
    }
    this.version = `${this.generation.toString(36)}-${trialsVersion}-${attrsVersion}`;
  }

  /**
   * True while the id names the study cached here: its name still leads to the id, and
   * its first trial is still stored as cached (a new study's trial 0 that reuses the
   * id has another start time). A study that is gone is not the same either.
   */
  private async stillSameStudy(): Promise<boolean> {
    try {
      if ((await this.storage.getStudyIdByName(this.summary.name)) !== this.studyId) return false;
      const first = this.trials[0];
      if (!first) return true;
      const stored = await this.storage.getTrial(first.trialId);
      return (
        stored.number === first.number &&
        (first.datetimeStart === null || stored.datetimeStart?.getTime() === first.datetimeStart.getTime())
      );
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** Drops everything read: the next read starts from scratch, under a new version. */
  private forget(): void {
    // Name and direction are filled from the summary at the first refresh.
    this.trialCache = new TrialCache(this.storage, this.studyId, "", ["minimize"]);
    this.current = null;
    this.summaryTime = -Infinity;
    this.trialsVersion = "";
    this.attrsVersion = "";
    this.memo = new Map();
    this.generation = nextGeneration++;
  }
}

/** Versions of different cache generations never coincide, even for an id reused by a study with the same trials. */
let nextGeneration = 0;

/** Study attributes (sampler name, ...) may change without any trial changing: re-read them this often. */
const SUMMARY_MAX_AGE_MS = 5_000;

/**
 * Trial count, counts by state, the latest time, and for unfinished trials what can
 * still change (state, reported steps, params): finished trials are immutable, so
 * this covers every change the pages show.
 */
/** A short hash of the study's user and system attributes. */
function attributesVersion(summary: StudySummary): string {
  const text = JSON.stringify([summary.userAttrs, summary.systemAttrs]);
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(36);
}

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
