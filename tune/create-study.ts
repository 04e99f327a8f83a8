import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import { checkName } from "../core/limits.js";
import { type StudyDirection, type StudySummary, SYSTEM_ATTR } from "../core/records.js";
import { checkSeed } from "../core/rng.js";
import { checkCount } from "./optimize.js";
import { type PrunerSpec, resolvePruner } from "./pruners/index.js";
import { resolveSampler, type SamplerSpec } from "./samplers/registry.js";
import { resolveStorage, type StorageSpec } from "./storage.js";
import { Study, type StudySettings } from "./study.js";

export interface CreateStudyOptions {
  /** Study name, unique in its storage (default: generated from the date and time). */
  name?: string;
  /** Storage URL or instance (default: `$TUNEBOOK_STORAGE`, else `./tunebook.db`). */
  storage?: StorageSpec;
  /** Default "minimize". */
  direction?: StudyDirection;
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
  const direction = options.direction ?? "minimize";
  if (direction !== "minimize" && direction !== "maximize") {
    throw new ValueError(`createStudy: direction must be "minimize" or "maximize", got ${show(direction)}.`);
  }
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
  const storage = await resolveStorage(options.storage);
  const name = options.name ?? generatedName();

  let studyId: number;
  try {
    studyId = await storage.createStudy({ name, direction, experiment: options.experiment ?? null });
  } catch (error) {
    if (!options.loadIfExists || (error as Error).name !== "DuplicatedStudyError") throw error;
    studyId = await storage.getStudyIdByName(name);
    const existing = await storage.getStudy(studyId);
    checkSingleObjective(existing);
    if (options.direction !== undefined && existing.direction !== direction) {
      throw new ValueError(
        `createStudy: study ${show(name)} exists with direction ${show(existing.direction)}, not ${show(direction)}; use its direction or another name.`,
      );
    }
    if (options.experiment !== undefined && existing.experiment !== options.experiment) {
      await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.experiment, options.experiment);
    }
    return new Study(storage, studyId, name, existing.direction, sampler, pruner, settings);
  }
  await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.sampler, sampler.name);
  await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.pruner, pruner.name);
  return new Study(storage, studyId, name, direction, sampler, pruner, settings);
}

/** Opens an existing study to add trials or read them. */
export async function loadStudy(
  options: Omit<CreateStudyOptions, "direction" | "loadIfExists" | "experiment"> & { name: string },
): Promise<Study> {
  checkOptionKeys("loadStudy", options, [
    "name",
    "storage",
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
  checkSingleObjective(summary);
  return new Study(
    storage,
    studyId,
    options.name,
    summary.direction,
    resolveSampler(options.sampler, options.seed),
    resolvePruner(options.pruner),
    settings,
  );
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

/**
 * Refuses to tune a study with several objectives (Optuna's `directions=[...]`), before
 * anything is written: its trials would get one value each, which breaks it for Optuna.
 */
function checkSingleObjective(summary: StudySummary): void {
  const { directions } = summary;
  if (directions.length <= 1) return;
  throw new ValueError(
    `Study ${show(summary.name)} has ${directions.length} objectives (${directions.join(", ")}); tunebook cannot tune a study with several objectives yet. Read it with \`tunebook studies\`, \`tunebook trials\` or the tracker UI; tune it with Optuna, or give tunebook's study another name.`,
  );
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
  return { retryFailedTrials, heartbeatSeconds, graceSeconds, seed };
}

function generatedName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `study-${stamp}-${Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, "0")}`;
}
