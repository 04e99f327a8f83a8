import { studyDirections } from "../core/directions.js";
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import { checkName } from "../core/limits.js";
import { type StudyDirection, type StudySummary, SYSTEM_ATTR, type TrialRecord } from "../core/records.js";
import { checkSeed } from "../core/rng.js";
import { checkCount } from "./optimize.js";
import { noteProvenance } from "./provenance.js";
import { type PrunerSpec, resolvePruner } from "./pruners/index.js";
import type { Pruner } from "./pruners/pruner.js";
import { resolveSampler, SAMPLER_NAMES, type SamplerSpec } from "./samplers/registry.js";
import type { Sampler } from "./samplers/sampler.js";
import { resolveStorage, type StorageSpec } from "./storage.js";
import { Study, type StudySettings } from "./study.js";

export interface CreateStudyOptions {
  /** Study name, unique in its storage (default: generated from the date and time). */
  name?: string;
  /** Storage URL or instance (default: `$TUNEBOOK_STORAGE`, else `./tunebook.db`). */
  storage?: StorageSpec;
  /** Default "minimize". For one objective; see `directions`. */
  direction?: StudyDirection;
  /**
   * One direction per objective, e.g. `["maximize", "minimize"]` for accuracy against
   * model size: the objective then returns one number per objective. Not with `direction`.
   */
  directions?: readonly StudyDirection[];
  /**
   * Constraint values of a COMPLETE trial, e.g. `(t) => [t.userAttrs.latencyMs - 5]`:
   * feasible when every value is ≤ 0. Infeasible trials never count as best, and
   * constraint-aware samplers steer away from them. Trials may also call `setConstraint`.
   */
  constraints?: (trial: TrialRecord) => readonly number[];
  /** A sampler or its name (default: chosen for the space and budget, see `defaultSampler`). */
  sampler?: SamplerSpec;
  /** A pruner or its name (default: none). */
  pruner?: PrunerSpec;
  /** Continue the study of that name if it exists (default false: an error). */
  loadIfExists?: boolean;
  /** Groups studies to compare, e.g. one per algorithm on one dataset. */
  experiment?: string;
  /** Seed for a sampler given by name (default: random). */
  seed?: number;
  /** Re-run a FAIL trial's parameters up to this many times (default 0). */
  retryFailedTrials?: number;
  /** Seconds between heartbeats of running trials (default: none, no heartbeats). */
  heartbeatSeconds?: number;
  /** A RUNNING trial silent for this long is marked FAIL by the next worker (default 4 × heartbeatSeconds). */
  graceSeconds?: number;
}

const CREATE_KEYS = [
  "name",
  "storage",
  "direction",
  "directions",
  "constraints",
  "sampler",
  "pruner",
  "loadIfExists",
  "experiment",
  "seed",
  "retryFailedTrials",
  "heartbeatSeconds",
  "graceSeconds",
] as const;

/** Creates a study (or continues one with `loadIfExists`). */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  checkOptionKeys("createStudy", options, CREATE_KEYS);
  const directions = newStudyDirections(options);
  if (options.name !== undefined && (typeof options.name !== "string" || options.name.trim() === "")) {
    throw new ValueError(`createStudy: name must be a non-empty string, got ${show(options.name)}.`);
  }
  if (options.name !== undefined) checkName("createStudy: name", options.name);
  if (options.experiment !== undefined && (typeof options.experiment !== "string" || options.experiment === "")) {
    throw new ValueError(`createStudy: experiment must be a non-empty string, got ${show(options.experiment)}.`);
  }
  const settings = studySettings("createStudy", options);
  const sampler = resolveSampler(options.sampler, options.seed);
  const pruner = resolvePruner(options.pruner);
  if (options.directions === undefined || !options.loadIfExists) checkEngineFits("createStudy", directions, sampler, pruner);
  const storage = await resolveStorage(options.storage);
  const name = options.name ?? generatedName();

  let studyId: number;
  try {
    studyId = await storage.createStudy({ name, directions, experiment: options.experiment ?? null });
  } catch (error) {
    if (!options.loadIfExists || (error as Error).name !== "DuplicatedStudyError") throw error;
    studyId = await storage.getStudyIdByName(name);
    const existing = await storage.getStudy(studyId);
    const given = options.direction !== undefined || options.directions !== undefined;
    if (given && existing.directions.join() !== directions.join()) {
      throw new ValueError(
        `createStudy: study ${show(name)} exists with ${describeDirections(existing.directions)}, not ${describeDirections(directions)}; use its directions or another name.`,
      );
    }
    checkEngineFits("createStudy", existing.directions, sampler, pruner);
    if (options.experiment !== undefined && existing.experiment !== options.experiment) {
      await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.experiment, options.experiment);
    }
    await noteProvenance(storage, studyId, settings.seed);
    return new Study(storage, studyId, name, existing.directions, sampler, pruner, settings);
  }
  await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.sampler, sampler.name);
  await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.pruner, pruner.name);
  await noteProvenance(storage, studyId, settings.seed);
  return new Study(storage, studyId, name, directions, sampler, pruner, settings);
}

/** Opens an existing study to add trials or read them. */
export async function loadStudy(
  options: Omit<CreateStudyOptions, "direction" | "directions" | "loadIfExists" | "experiment"> & { name: string },
): Promise<Study> {
  checkOptionKeys("loadStudy", options, [
    "name",
    "storage",
    "constraints",
    "sampler",
    "pruner",
    "seed",
    "retryFailedTrials",
    "heartbeatSeconds",
    "graceSeconds",
  ]);
  if (typeof options.name !== "string") throw new ValueError(`loadStudy: name must be a string, got ${show(options.name)}.`);
  const settings = studySettings("loadStudy", options);
  const storage = await resolveStorage(options.storage);
  const studyId = await storage.getStudyIdByName(options.name);
  const summary = await storage.getStudy(studyId);
  const sampler = resolveSampler(options.sampler, options.seed);
  const pruner = resolvePruner(options.pruner);
  checkEngineFits("loadStudy", summary.directions, sampler, pruner);
  await noteProvenance(storage, studyId, settings.seed);
  return new Study(storage, studyId, options.name, summary.directions, sampler, pruner, settings);
}

/** Deletes a study and all its trials. */
export async function deleteStudy(options: { name: string; storage?: StorageSpec }): Promise<void> {
  checkOptionKeys("deleteStudy", options, ["name", "storage"]);
  const storage = await resolveStorage(options.storage);
  await storage.deleteStudy(await storage.getStudyIdByName(options.name));
}

/** Every study in a storage, with counts and best values. */
export async function listStudies(storage?: StorageSpec): Promise<StudySummary[]> {
  return (await resolveStorage(storage)).listStudies();
}

/** The directions of a new study: `directions`, `direction`, or one minimised objective. */
function newStudyDirections(options: CreateStudyOptions): StudyDirection[] {
  if (options.direction === undefined && options.directions === undefined) return ["minimize"];
  try {
    return studyDirections(options.direction, options.directions);
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`createStudy: ${error.message}`);
    throw error;
  }
}

function describeDirections(directions: readonly StudyDirection[]): string {
  return directions.length === 1 ? `direction ${show(directions[0])}` : `directions ${show(directions)}`;
}

/**
 * A study with several objectives needs a sampler that reads them all and no pruner (pruning
 * judges one reported value), checked before anything is written.
 */
function checkEngineFits(where: string, directions: readonly StudyDirection[], sampler: Sampler, pruner: Pruner): void {
  if (directions.length === 1) return;
  const objectives = `${directions.length} objectives (${directions.join(", ")})`;
  if (!sampler.multiObjective) {
    const able = SAMPLER_NAMES.filter((name) => resolveSampler(name, 0).multiObjective);
    throw new ValueError(
      `${where}: the ${sampler.name} sampler tunes one objective, and the study has ${objectives}; use one of ${able.join(", ")} (or leave sampler out for the default).`,
    );
  }
  if (pruner.name !== "none") {
    throw new ValueError(
      `${where}: the study has ${objectives}; pruning judges one reported value, so leave the ${pruner.name} pruner out.`,
    );
  }
}

/** The settings of a study being created or loaded, checked before any storage is opened. */
function studySettings(where: "createStudy" | "loadStudy", options: CreateStudyOptions): StudySettings {
  const seed = checkSeed(where, options.seed);
  const retryFailedTrials = options.retryFailedTrials ?? 0;
  checkCount(`${where}: retryFailedTrials`, retryFailedTrials, 0);
  const heartbeatSeconds = options.heartbeatSeconds ?? null;
  if (heartbeatSeconds !== null && !(typeof heartbeatSeconds === "number" && heartbeatSeconds > 0)) {
    throw new ValueError(`${where}: heartbeatSeconds must be a positive number, got ${show(heartbeatSeconds)}.`);
  }
  const graceSeconds = options.graceSeconds ?? (heartbeatSeconds ?? 60) * 4;
  if (!(typeof graceSeconds === "number" && graceSeconds > 0))
    throw new ValueError(`${where}: graceSeconds must be a positive number, got ${show(graceSeconds)}.`);
  if (heartbeatSeconds !== null && graceSeconds <= heartbeatSeconds) {
    throw new ValueError(
      `${where}: graceSeconds (${graceSeconds}) must be longer than heartbeatSeconds (${heartbeatSeconds}), or live trials would be failed.`,
    );
  }
  const constraints = options.constraints ?? null;
  if (constraints !== null && typeof constraints !== "function") {
    throw new ValueError(
      `${where}: constraints must be a function (trial) => number[] (feasible when every value is ≤ 0), got ${show(constraints)}.`,
    );
  }
  return { constraints, retryFailedTrials, heartbeatSeconds, graceSeconds, seed };
}

function generatedName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `study-${stamp}-${Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, "0")}`;
}
