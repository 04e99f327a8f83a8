/**
 * The model a trial saved, back as a live estimator: `study.saveModel(trial, model)`
 * keeps `model.toJSON()` as an artifact, `loadModel(study, number)` reads it with
 * `modelFromJSON`.
 */
import { NotFoundError, show, ValueError } from "../core/errors.js";
import { modelFromJSON } from "../learn/models/serialization.js";
import { type ArtifactMeta, type ArtifactOptions, artifactStore, artifactsOf, MODEL_FILENAME } from "../tune/artifacts.js";
import type { Study } from "../tune/study.js";

export interface LoadModelOptions extends ArtifactOptions {
  /** Which saved model, when the trial saved several. Default: its only one. */
  artifactId?: string;
}

/** The models trial `trialNumber` of `study` saved (artifacts named `model-<kind>.json`). */
export async function savedModels(study: Study, trialNumber: number): Promise<ArtifactMeta[]> {
  const trial = await study.storage.getTrialByNumber(study.studyId, trialNumber);
  if (!trial) {
    const count = await study.storage.countTrials(study.studyId);
    throw new NotFoundError(
      `loadModel: study ${show(study.name)} has no trial number ${show(trialNumber)} (it has ${count}, numbered from 0).`,
    );
  }
  return artifactsOf(trial).filter((meta) => MODEL_FILENAME.test(meta.filename));
}

/**
 * The live model trial `trialNumber` saved with `study.saveModel`, fitted as it was
 * saved: `const model = await loadModel(study, (await study.best()).number)`.
 */
export async function loadModel<T = unknown>(study: Study, trialNumber: number, options: LoadModelOptions = {}): Promise<T> {
  const { artifactId, artifacts } = options;
  const models = await savedModels(study, trialNumber);
  const listed = models.map((m) => `${m.artifactId} (${m.filename})`).join(", ");
  let chosen: ArtifactMeta | undefined;
  if (artifactId !== undefined) {
    chosen = models.find((m) => m.artifactId === artifactId);
    if (!chosen)
      throw new ValueError(`loadModel: trial ${trialNumber} saved no model ${show(artifactId)}; its models: ${listed || "none"}.`);
  } else if (models.length === 1) chosen = models[0];
  else if (models.length === 0) {
    throw new NotFoundError(
      `loadModel: trial ${trialNumber} of ${show(study.name)} saved no model; save one with study.saveModel(trial, model).`,
    );
  } else {
    throw new ValueError(`loadModel: trial ${trialNumber} saved ${models.length} models (${listed}); pick one with { artifactId }.`);
  }
  const bytes = await artifactStore(study.storage, { artifacts }).read(chosen.artifactId);
  return modelFromJSON<T>(bytes.toString("utf8"));
}
