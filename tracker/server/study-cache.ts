import { NotFoundError } from "../../core/errors.js";
import { isFinished, type StudySummary, TRIAL_STATES, type TrialRecord } from "../../core/records.js";
import { TrialCache } from "../../tune/trial-cache.js";
import type { Storage } from "../storage/storage.js";

/**
 * One study as the server holds it: its summary, its trials, a version that changes
 * whenever anything shown changes, and results memoised per version.
 *
 * A study of at most `EXACT_TRIALS` trials is held whole, in a `TrialCache` (read from
 * storage once, then only from the first unfinished trial on). A larger one is never read
 * whole: the server holds a sample of at most `SAMPLE_TRIALS` (plus its record trials and
 * latest unfinished ones, see `Storage.sampleTrials`), chosen by the storage, taken again
 * when the study changed and the sample is older than `RESAMPLE_MS`; `sample` says so, and
 * the charts say what they were drawn from. Its summary comes from the storage's aggregates.
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
  /** The sample held instead of every trial, once the study has more than `EXACT_TRIALS`. */
  private sampled: { trials: TrialRecord[]; total: number; version: string; at: number } | null = null;
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
    /** Up to how many trials a study is held whole, and the size of a larger one's sample. */
    private readonly holding: StudyHolding = {},
  ) {
    this.forget();
  }

  /** The study's summary, as of the last refresh (the first one reads it). */
  get summary(): StudySummary {
    if (!this.current) throw new Error(`CachedStudy ${this.studyId}: read before its first refresh.`);
    return this.current;
  }

  /** Every trial, ordered by number; for a study above `EXACT_TRIALS`, the sample (see `sample`). */
  get trials(): readonly TrialRecord[] {
    return this.sampled ? this.sampled.trials : this.trialCache.trials();
  }

  /** How many trials `trials` holds of how many, for a study held as a sample; null when it holds them all. */
  get sample(): { shown: number; total: number } | null {
    return this.sampled ? { shown: this.sampled.trials.length, total: this.sampled.total } : null;
  }

  /** The study's number of trials (all of them, also when `trials` is a sample). */
  get total(): number {
    return this.sampled ? this.sampled.total : this.trialCache.trials().length;
  }

  /**
   * Brings the study up to date, at most once per `minRefreshMs`; concurrent callers
   * share one read. A study held whole: its trials are read incrementally, and the summary
   * is re-read only when they changed, or every `summaryMaxAgeMs` for study attributes
   * (a storage without aggregates scans the study for it). A study held as a sample: the
   * summary is read every time, and says when to sample again.
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
    // The summary first, when it decides how to hold the trials: the first read, and every read of a sampled study.
    if (!this.current || this.sampled) {
      this.current = await this.storage.getStudy(this.studyId);
      this.summaryTime = performance.now();
    }
    const exact = this.holding.exactTrials ?? EXACT_TRIALS;
    if (this.sampled || trialCount(this.current) > exact) return this.readSample(this.current);
    await this.trialCache.refresh();
    if (this.trialCache.trials().length > exact) {
      // Grew past the bound while held whole: let go of the trials, hold a sample from now on.
      this.trialCache = new TrialCache(this.storage, this.studyId, "", ["minimize"]);
      this.current = await this.storage.getStudy(this.studyId);
      return this.readSample(this.current);
    }
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
   * A large study: the summary (read from the aggregates) tells whether anything changed;
   * the sample is taken again when it did, at most once per `RESAMPLE_MS` — a study
   * growing by many trials a second is not sampled on every poll.
   */
  private async readSample(summary: StudySummary): Promise<void> {
    const summaryVersion = `${trialCount(summary)}-${TRIAL_STATES.map((s) => summary.counts[s]).join(".")}-${summary.lastActivity?.getTime().toString(36) ?? ""}`;
    const attrsVersion = attributesVersion(summary);
    const now = performance.now();
    const due = !this.sampled || (this.sampled.version !== summaryVersion && now - this.sampled.at >= RESAMPLE_MS);
    if (due) {
      const { trials, total } = await this.storage.sampleTrials(this.studyId, this.holding.sampleTrials ?? SAMPLE_TRIALS);
      this.sampled = { trials, total, version: summaryVersion, at: now };
    }
    if (due || attrsVersion !== this.attrsVersion) {
      this.attrsVersion = attrsVersion;
      this.memo = new Map();
    }
    this.version = `${this.generation.toString(36)}-s${this.sampled!.version}-${attrsVersion}`;
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
    this.sampled = null;
    this.summaryTime = -Infinity;
    this.trialsVersion = "";
    this.attrsVersion = "";
    this.memo = new Map();
    this.generation = nextGeneration++;
  }
}

/** Versions of different cache generations never coincide, even for an id reused by a study with the same trials. */
let nextGeneration = 0;

/**
 * Studies with at most this many trials are held whole and drawn exactly; larger ones are
 * held as a sample (reading 20,000 trials takes a fraction of a second; a million, many seconds and a gigabyte).
 */
export const EXACT_TRIALS = 20_000;
/**
 * The regular part of a large study's sample: every k-th trial, k = ⌈total / 5,000⌉. The
 * charts draw at most 2,000 points each (`PAGE_MAX_POINTS`), so this leaves them their
 * shape, while the record trials keep the best so far exact.
 */
export const SAMPLE_TRIALS = 5_000;
/** See `AppOptions.exactTrials` and `sampleTrials`. */
export interface StudyHolding {
  exactTrials?: number;
  sampleTrials?: number;
}

/** A changing large study is sampled again at most this often. */
const RESAMPLE_MS = 10_000;

/** A study's number of trials, from its summary's counts. */
function trialCount(summary: StudySummary): number {
  return TRIAL_STATES.reduce((sum, s) => sum + summary.counts[s], 0);
}

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
    private readonly options: { minRefreshMs: number; maxStudies: number } & StudyHolding,
  ) {}

  /** The study, refreshed; throws the storage's `NotFoundError` for an unknown id. */
  async get(studyId: number): Promise<CachedStudy> {
    let study = this.studies.get(studyId);
    if (study) this.studies.delete(studyId);
    else study = new CachedStudy(this.storage, studyId, this.options.minRefreshMs, undefined, this.options);
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
