import { DuplicatedStudyError, NotFoundError, TrialFinishedError } from "../../core/errors.js";
import { isFeasible } from "../../core/feasibility.js";
import { userAttrValue } from "../../core/json.js";
import {
  type DistributionJson,
  emptyCounts,
  isBetter,
  isFinished,
  type JsonValue,
  type ParamValue,
  type StudyDirection,
  type StudySummary,
  SYSTEM_ATTR,
  setOwn,
  singleValue,
  type TrialRecord,
  type TrialState,
} from "../../core/records.js";
import {
  checkAttrKey,
  checkCreateOptions,
  checkFinish,
  checkGrace,
  checkIntermediate,
  checkParam,
  checkParamAgainst,
  checkStudyOptions,
  checkValueCount,
  notFoundStudy,
  staleMessage,
} from "./checks.js";
import { checkSampleLimit, sampledNumbers } from "./sample.js";
import { cloneTrial } from "./snapshot.js";
import { prepareTrial } from "./sql/trial-template.js";
import type {
  CreateStudyOptions,
  CreateTrialOptions,
  FinishedState,
  Storage,
  TrialPage,
  TrialQueryOptions,
  TrialSample,
  TrialTemplate,
} from "./storage.js";
import { checkTrialQuery, queryTrialsInMemory } from "./trial-query.js";

interface StudyRow {
  studyId: number;
  name: string;
  directions: StudyDirection[];
  experiment: string | null;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  trials: TrialRecord[];
  claims: Map<string, number>;
  heartbeats: Map<number, number>;
}

/**
 * Storage in this process's memory: fast, and gone when the process ends. It checks its
 * arguments as the SQL storage does (checks.ts), so a value refused there is refused here.
 */
export class InMemoryStorage implements Storage {
  readonly url = ":memory:";
  private studies = new Map<number, StudyRow>();
  private trialOwner = new Map<number, StudyRow>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  async createStudy(options: CreateStudyOptions): Promise<number> {
    const directions = checkStudyOptions(options);
    for (const s of this.studies.values()) {
      if (s.name === options.name)
        throw new DuplicatedStudyError(
          `A study named ${JSON.stringify(options.name)} already exists; pass loadIfExists: true to continue it, or choose another name.`,
        );
    }
    const studyId = this.nextStudyId++;
    const systemAttrs: Record<string, JsonValue> = {};
    if (options.experiment != null) systemAttrs[SYSTEM_ATTR.experiment] = options.experiment;
    this.studies.set(studyId, {
      studyId,
      name: options.name,
      directions,
      experiment: options.experiment ?? null,
      userAttrs: {},
      systemAttrs,
      trials: [],
      claims: new Map(),
      heartbeats: new Map(),
    });
    return studyId;
  }

  async getStudyIdByName(name: string): Promise<number> {
    for (const s of this.studies.values()) if (s.name === name) return s.studyId;
    throw notFoundStudy(
      name,
      [...this.studies.values()].map((s) => s.name),
    );
  }

  async getStudy(studyId: number): Promise<StudySummary> {
    return this.summarise(this.study(studyId));
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((s) => this.summarise(s));
  }

  async deleteStudy(studyId: number): Promise<void> {
    const s = this.study(studyId);
    for (const t of s.trials) this.trialOwner.delete(t.trialId);
    this.studies.delete(studyId);
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    value = userAttrValue("setStudyUserAttr", key, value);
    checkAttrKey(key);
    this.study(studyId).userAttrs[key] = structuredClone(value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    checkAttrKey(key);
    const s = this.study(studyId);
    s.systemAttrs[key] = structuredClone(value);
    if (key === SYSTEM_ATTR.experiment) s.experiment = typeof value === "string" ? value : null;
  }

  async createTrial(
    studyId: number,
    template: TrialTemplate = {},
    options: CreateTrialOptions = {},
  ): Promise<(TrialRecord & { claimedKey?: string }) | null> {
    checkCreateOptions(options);
    const { record } = prepareTrial(template, new Date());
    const s = this.study(studyId);
    checkValueCount(s.trials.length, record.values, s.directions);
    if (options.maxTrials !== undefined && s.trials.filter((t) => t.state !== "FAIL").length >= options.maxTrials) return null;
    let claimedKey: string | undefined;
    if (options.claimOneOf) {
      claimedKey = options.claimOneOf.find((key) => !s.claims.has(key));
      if (claimedKey === undefined) return null;
    }
    const trial: TrialRecord = { ...record, trialId: this.nextTrialId++, number: s.trials.length };
    s.trials.push(trial);
    this.trialOwner.set(trial.trialId, s);
    if (trial.state === "RUNNING") s.heartbeats.set(trial.trialId, Date.now());
    if (claimedKey !== undefined) {
      s.claims.set(claimedKey, trial.trialId);
      return { ...cloneTrial(trial), claimedKey };
    }
    return cloneTrial(trial);
  }

  async claimWaitingTrial(studyId: number): Promise<TrialRecord | null> {
    const s = this.study(studyId);
    const waiting = s.trials.find((t) => t.state === "WAITING");
    if (!waiting) return null;
    waiting.state = "RUNNING";
    waiting.datetimeStart = new Date();
    s.heartbeats.set(waiting.trialId, Date.now());
    return cloneTrial(waiting);
  }

  async setTrialParam(trialId: number, name: string, value: ParamValue, distribution: DistributionJson): Promise<void> {
    checkParam(name, value, distribution);
    const t = this.mutableTrial(trialId);
    checkParamAgainst(t, name, distribution);
    setOwn(t.params, name, value);
    setOwn(t.distributions, name, structuredClone(distribution));
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    checkIntermediate(step, value);
    this.mutableTrial(trialId).intermediateValues[step] = value;
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    value = userAttrValue("setTrialUserAttr", key, value);
    checkAttrKey(key);
    this.trial(trialId).userAttrs[key] = structuredClone(value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    checkAttrKey(key);
    this.trial(trialId).systemAttrs[key] = structuredClone(value);
  }

  async finishTrial(trialId: number, state: FinishedState, values: readonly number[] | null, error?: string): Promise<void> {
    checkFinish(state, values, error);
    const t = this.mutableTrial(trialId);
    checkValueCount(t.number, values, this.trialOwner.get(trialId)!.directions);
    t.state = state;
    t.values = values && [...values];
    t.value = singleValue(values);
    t.datetimeComplete = new Date();
    if (error !== undefined) {
      t.error = error;
      t.systemAttrs[SYSTEM_ATTR.failReason] = error;
    }
    this.trialOwner.get(trialId)?.heartbeats.delete(trialId);
  }

  async getTrial(trialId: number): Promise<TrialRecord> {
    return cloneTrial(this.trial(trialId));
  }

  async getAllTrials(studyId: number, options: { states?: readonly TrialState[]; fromTrialId?: number } = {}): Promise<TrialRecord[]> {
    const { states, fromTrialId = 0 } = options;
    return this.study(studyId)
      .trials.filter((t) => t.trialId >= fromTrialId && (!states || states.includes(t.state)))
      .map(cloneTrial);
  }

  async countTrials(studyId: number, states?: readonly TrialState[]): Promise<number> {
    return this.study(studyId).trials.filter((t) => !states || states.includes(t.state)).length;
  }

  async getTrialByNumber(studyId: number, number: number): Promise<TrialRecord | null> {
    const found = this.study(studyId).trials.find((t) => t.number === number);
    return found ? cloneTrial(found) : null;
  }

  async sampleTrials(studyId: number, limit: number): Promise<TrialSample> {
    checkSampleLimit(limit);
    const study = this.study(studyId);
    const trials = [...study.trials].sort((a, b) => a.number - b.number);
    const picked = sampledNumbers(trials, study.directions, limit, this.summarise(study).bestTrialNumber);
    return { total: trials.length, trials: trials.filter((t) => picked.has(t.number)).map(cloneTrial) };
  }

  async queryTrials(studyId: number, options?: TrialQueryOptions): Promise<TrialPage> {
    const query = checkTrialQuery(options);
    const page = queryTrialsInMemory(this.study(studyId).trials, query);
    return { trials: page.trials.map(cloneTrial), total: page.total };
  }

  async claimedKeys(studyId: number): Promise<Set<string>> {
    return new Set(this.study(studyId).claims.keys());
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    const owner = this.trialOwner.get(trialId);
    if (owner && this.trial(trialId).state === "RUNNING") owner.heartbeats.set(trialId, Date.now());
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<TrialRecord[]> {
    checkGrace(graceSeconds);
    const s = this.study(studyId);
    const cutoff = Date.now() - graceSeconds * 1000;
    const failed: TrialRecord[] = [];
    for (const t of s.trials) {
      const beat = s.heartbeats.get(t.trialId);
      if (t.state === "RUNNING" && beat !== undefined && beat < cutoff) {
        await this.finishTrial(t.trialId, "FAIL", null, staleMessage(graceSeconds));
        failed.push(cloneTrial(t));
      }
    }
    return failed;
  }

  async close(): Promise<void> {}

  private study(studyId: number): StudyRow {
    const s = this.studies.get(studyId);
    if (!s) throw new NotFoundError(`No study with id ${studyId} in ${this.url}.`);
    return s;
  }

  private trial(trialId: number): TrialRecord {
    const s = this.trialOwner.get(trialId);
    const t = s?.trials.find((x) => x.trialId === trialId);
    if (!t) throw new NotFoundError(`No trial with id ${trialId} in ${this.url}.`);
    return t;
  }

  private mutableTrial(trialId: number): TrialRecord {
    const t = this.trial(trialId);
    if (isFinished(t.state)) {
      throw new TrialFinishedError(`Trial ${t.number} is already ${t.state} and cannot change.`);
    }
    return t;
  }

  private summarise(s: StudyRow): StudySummary {
    const counts = emptyCounts();
    let best: TrialRecord | null = null;
    let start: number | null = null;
    let last: number | null = null;
    for (const t of s.trials) {
      counts[t.state]++;
      if (t.state === "COMPLETE" && t.value !== null && isFeasible(t) && (best === null || isBetter(s.directions[0], t.value, best.value!)))
        best = t;
      for (const d of [t.datetimeStart, t.datetimeComplete]) {
        if (!d) continue;
        if (start === null || d.getTime() < start) start = d.getTime();
        if (last === null || d.getTime() > last) last = d.getTime();
      }
    }
    return {
      studyId: s.studyId,
      name: s.name,
      direction: s.directions[0],
      directions: [...s.directions],
      experiment: s.experiment,
      userAttrs: structuredClone(s.userAttrs),
      systemAttrs: structuredClone(s.systemAttrs),
      counts,
      bestValue: best?.value ?? null,
      bestTrialNumber: best?.number ?? null,
      datetimeStart: start === null ? null : new Date(start),
      lastActivity: last === null ? null : new Date(last),
    };
  }
}
