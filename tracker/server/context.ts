import { NotFoundError, show, ValueError } from "../../core/errors.js";
import type { StudySummary } from "../../core/records.js";
import type { Storage } from "../storage/storage.js";
import { notFound } from "./http-errors.js";
import { pathInt } from "./query.js";
import { type CachedStudy, StudyCaches } from "./study-cache.js";

/** What every route reads: the storage and the per-study caches over it. */
export class ServerContext {
  readonly caches: StudyCaches;
  private studyList: { at: number; studies: Promise<StudySummary[]> } | null = null;

  constructor(
    readonly storage: Storage,
    readonly options: Required<Pick<AppOptions, "refreshIntervalMs" | "pollMs" | "maxCachedStudies">> &
      Pick<AppOptions, "exactTrials" | "sampleTrials">,
  ) {
    const { exactTrials, sampleTrials } = options;
    if (exactTrials !== undefined && !(Number.isInteger(exactTrials) && exactTrials >= 0))
      throw new ValueError(`exactTrials must be an integer >= 0, got ${show(exactTrials)}.`);
    if (sampleTrials !== undefined && !(Number.isInteger(sampleTrials) && sampleTrials >= 10))
      throw new ValueError(`sampleTrials must be an integer >= 10, got ${show(sampleTrials)}.`);
    this.caches = new StudyCaches(storage, {
      minRefreshMs: options.refreshIntervalMs,
      maxStudies: options.maxCachedStudies,
      exactTrials: options.exactTrials,
      sampleTrials: options.sampleTrials,
    });
  }

  /** The study named by a path parameter, refreshed; 400 for a malformed id, 404 for an unknown one. */
  async study(rawId: string | undefined, param = "id"): Promise<CachedStudy> {
    const id = pathInt(rawId, param);
    return this.studyById(id);
  }

  /**
   * Every study's summary, re-read at most once per `refreshIntervalMs` (the storage
   * aggregates over all trials for it; the studies page polls).
   */
  async listStudies(): Promise<StudySummary[]> {
    const now = performance.now();
    if (!this.studyList || now - this.studyList.at >= this.options.refreshIntervalMs) {
      this.studyList = { at: now, studies: this.storage.listStudies() };
      this.studyList.studies.catch(() => (this.studyList = null));
    }
    return this.studyList.studies;
  }

  async studyById(id: number): Promise<CachedStudy> {
    try {
      return await this.caches.get(id);
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound(`No study with id ${id}. The list of studies is at /api/studies.`);
      throw error;
    }
  }
}

export interface AppOptions {
  /**
   * Host headers the server answers (e.g. `["127.0.0.1:5177", "localhost:5177"]`);
   * others get 421, which defeats DNS rebinding. Default: any (`startServer` sets it
   * when bound to a loopback address).
   */
  allowedHosts?: readonly string[];
  /** A study is re-read from storage at most this often, in ms (default 1000). */
  refreshIntervalMs?: number;
  /** How often open pages poll for changes, in ms (default 3000). */
  pollMs?: number;
  /** Studies kept in memory at once, least recently used dropped first (default 16). */
  maxCachedStudies?: number;
  /** The folder of trial artifacts (default: next to an SQLite database, else $TUNEBOOK_ARTIFACTS; see tune/artifacts.ts). */
  artifacts?: string;
  /**
   * Studies of up to this many trials are held whole and drawn exactly (default 20,000);
   * larger ones are held as a sample of the storage's choosing (`Storage.sampleTrials`), and
   * their charts say so.
   */
  exactTrials?: number;
  /** The size of a larger study's sample, before its record and unfinished trials (default 5,000, at least 10). */
  sampleTrials?: number;
}
