/**
 * Nested cross-validation: an estimate of a tuned model's score that the tuning did not
 * see. Tuning overfits its validation folds (the best of many trials, scored on the same
 * folds, looks better than it is); here each outer fold tunes on its training rows alone,
 * with inner folds, and scores the chosen configuration once on its test rows.
 * The folds are scikit-learn's: `cross_validate(GridSearchCV(model, grid, cv=inner), X, y, cv=outer)`.
 */
import { createHash } from "node:crypto";
import type { DataFrame, Series } from "danfojs-node";
import { show, TunebookError, ValueError } from "../core/errors.js";
import type { JsonValue, ParamValue } from "../core/records.js";
import { crossValidate, resolveFolds } from "../learn/cross-validate.js";
import type { Estimator } from "../learn/estimator.js";
import type { Label } from "../learn/labels.js";
import { toRows, toTargets } from "../learn/model-inputs.js";
import type { RawFeatures } from "../learn/preprocessing.js";
import type { Fold, Splitter } from "../learn/splitters/index.js";
import { createStudy } from "../tune/create-study.js";
import { FixedTrial } from "../tune/fixed-trial.js";
import { NESTED_ATTR, type NestedFoldRecord } from "../tune/nested-record.js";
import { resolveStorage } from "../tune/storage.js";
import type { Study } from "../tune/study.js";
import { greaterIsBetter, type NestedCrossValidateOptions, nestedSettings } from "./nested-options.js";
import { checkSearch, factoryOf, type NestedSearch, ProbeTrial } from "./nested-search.js";
import { type ChosenConfiguration, type NestedStability, nestedStability } from "./nested-stability.js";

/** What one outer fold chose, and how it scored. */
export interface NestedChoice {
  /** 0-based outer fold. */
  fold: number;
  /** The inner study's best parameters. */
  params: Record<string, ParamValue>;
  /** Their inner cross-validation score (the inner study's best value). */
  innerBest: number;
  /** Their score on the outer test rows, refitted on the outer training rows. */
  outerScore: number;
  /** The inner study's name and the chosen trial's number. */
  study: string;
  trialNumber: number;
  nTrain: number;
  nTest: number;
}

export interface NestedCrossValidateResult {
  /** The run's name (its inner studies are `${name}/outer-${i + 1}`). */
  name: string;
  /** The score of each outer fold's chosen configuration on its test rows, in fold order. */
  outerScores: number[];
  /** Mean and (population) standard deviation of `outerScores`, as `crossValidate`: the nested estimate. */
  mean: number;
  std: number;
  chosen: NestedChoice[];
  /** How much the chosen parameters agree across outer folds (see `NestedStability`). */
  stability: NestedStability;
  /** The inner studies, one per outer fold. */
  studies: Study[];
  /** The scorer, and so which way is better. */
  scoring: { name: string; greaterIsBetter: boolean };
  /** The splitters, e.g. { outer: "StratifiedKFold(nSplits=5)", inner: "StratifiedKFold(nSplits=3)" }. */
  cv: { outer: string; inner: string };
  /** Rows of the data, and each outer fold's test rows (positions): what `compareNested` pairs on. */
  nRows: number;
  outerTestRows: number[][];
}

const WHERE = "nestedCrossValidate";

/**
 * Nested cross-validation of a search:
 * ```ts
 * const result = await nestedCrossValidate(
 *   { space: (trial) => { const k = trial.suggestInt("k", 1, 30); return () => new KNNClassifier({ k }); } },
 *   X, y, { outer: 5, inner: 3, nTrials: 30, seed: 1 },
 * );
 * result.mean; // the estimate tuning did not see
 * ```
 * For each outer fold i: an inner study `${name}/outer-${i + 1}` (direction from the scorer)
 * runs `nTrials` trials, each scored by `crossValidate` on the outer training rows with the
 * inner folds (fold scores are reported, so a pruner can stop a trial); the best trial's
 * parameters (the first of equal values, as GridSearchCV) are replayed with a `FixedTrial`,
 * refitted on the whole outer training fold and scored once on the outer test rows. Each inner
 * study keeps a `NestedFoldRecord` in its system attribute "tunebook:nested", from which
 * `nestedRunsOf` rebuilds the outer scores. Inner folds are computed once per outer fold
 * and shared by its trials, as GridSearchCV does.
 */
export async function nestedCrossValidate<Y extends Label>(
  search: NestedSearch<Y>,
  X: RawFeatures | DataFrame,
  y: readonly Y[] | Series | null | undefined,
  options: NestedCrossValidateOptions,
): Promise<NestedCrossValidateResult> {
  checkSearch(WHERE, search);
  const settings = nestedSettings(WHERE, options);
  const rows = toRows(WHERE, X);
  const targets = y === undefined || y === null ? undefined : toTargets(WHERE, y);
  const { groups } = settings;
  const probe = factoryOf(WHERE, search, new ProbeTrial());
  const outer = outerFolds(probe, rows, targets, groups, settings.outer);
  const plans = outer.folds.map((fold, i) => planFold(probe, rows, targets, groups, fold, i, settings.inner));
  const inner = plans[0].splitter.description;
  const clusterer = probe().kind === "clusterer";
  const direction = greaterIsBetter(settings.scoring, clusterer) ? "maximize" : "minimize";

  const storage = await resolveStorage(settings.storage);
  const studyNames = plans.map((_, i) => `${settings.name}/outer-${i + 1}`);
  for (const name of studyNames) {
    const taken = await storage.getStudyIdByName(name).then(
      () => true,
      () => false,
    );
    if (taken) {
      throw new ValueError(`${WHERE}: the storage already has a study ${show(name)}; give the run another name (name: "...").`);
    }
  }

  const chosen: NestedChoice[] = [];
  const studies: Study[] = [];
  let scoring: NestedCrossValidateResult["scoring"] | undefined;
  const configurations: ChosenConfiguration[] = [];
  for (const [i, plan] of plans.entries()) {
    const study = await createStudy({
      name: studyNames[i],
      storage,
      direction,
      sampler: settings.samplerFor(i),
      pruner: settings.prunerFor(i),
      experiment: settings.experiment,
    });
    studies.push(study);
    const innerCv = fixedFolds(plan.splitter.description, plan.inner);
    await study.optimize(
      async (trial) => {
        const cv = await crossValidate(factoryOf(WHERE, search, trial), plan.X, plan.y, { cv: innerCv, scoring: settings.scoring, trial });
        if (cv.scoring.greaterIsBetter !== (direction === "maximize")) {
          throw new Error(`${WHERE}: scorer ${show(cv.scoring.name)} goes the other way than the study's direction ${direction}`);
        }
        return cv.mean;
      },
      { nTrials: settings.nTrials },
    );
    const best = await bestTrial(study, i);
    const refit = factoryOf(WHERE, search, new FixedTrial(best.params, best.number));
    const scored = await crossValidate(refit, rows, targets, {
      cv: fixedFolds(`outer fold ${i + 1}`, [plan.fold]),
      scoring: settings.scoring,
    });
    scoring = scored.scoring;
    const choice: NestedChoice = {
      fold: i,
      params: best.params,
      innerBest: best.value as number,
      outerScore: scored.testScores[0],
      study: study.name,
      trialNumber: best.number,
      nTrain: plan.fold.train.length,
      nTest: plan.fold.test.length,
    };
    chosen.push(choice);
    configurations.push({ params: best.params, distributions: best.distributions });
    const record: NestedFoldRecord = {
      run: settings.name,
      outerFold: i,
      nOuter: plans.length,
      outerScore: choice.outerScore,
      params: choice.params,
      innerBest: choice.innerBest,
      trialNumber: choice.trialNumber,
      nTrain: choice.nTrain,
      nTest: choice.nTest,
      scoring: scoring.name,
      outer: outer.splitter.description,
      inner,
      testFingerprint: fingerprint(plan.fold.test),
    };
    await storage.setStudySystemAttr(study.studyId, NESTED_ATTR, record as unknown as JsonValue);
  }

  const outerScores = chosen.map((c) => c.outerScore);
  const mean = outerScores.reduce((a, b) => a + b, 0) / outerScores.length;
  return {
    name: settings.name,
    outerScores,
    mean,
    std: Math.sqrt(outerScores.reduce((acc, s) => acc + (s - mean) ** 2, 0) / outerScores.length),
    chosen,
    stability: nestedStability(configurations),
    studies,
    scoring: scoring!,
    cv: { outer: outer.splitter.description, inner },
    nRows: rows.length,
    outerTestRows: outer.folds.map((f) => [...f.test]),
  };
}

/** One outer fold: its rows, and the inner folds over its training rows (positions within them). */
interface FoldPlan<Y extends Label> {
  fold: Fold;
  X: RawFeatures;
  y: readonly Y[] | undefined;
  splitter: Splitter;
  inner: Fold[];
}

function planFold<Y extends Label>(
  probe: () => Estimator<Y>,
  rows: RawFeatures,
  targets: readonly Y[] | undefined,
  groups: readonly Label[] | undefined,
  fold: Fold,
  i: number,
  innerCv: Splitter | number,
): FoldPlan<Y> {
  const X = fold.train.map((r) => rows[r]);
  const y = targets && fold.train.map((r) => targets[r]);
  try {
    const { splitter, folds } = resolveFolds(WHERE, probe, X, y, { cv: innerCv, groups: groups && fold.train.map((r) => groups[r]) });
    return { fold, X, y, splitter, inner: folds };
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    throw new ValueError(
      `${WHERE}: the inner folds cannot split the ${fold.train.length} training rows of outer fold ${i + 1} ` +
        `(use fewer inner folds, or fewer outer folds for more training rows each): ${error.message.replace(`${WHERE}: `, "")}`,
    );
  }
}

function outerFolds<Y extends Label>(
  probe: () => Estimator<Y>,
  rows: RawFeatures,
  targets: readonly Y[] | undefined,
  groups: readonly Label[] | undefined,
  cv: Splitter | number,
): { splitter: Splitter; folds: Fold[] } {
  try {
    return resolveFolds(WHERE, probe, rows, targets, { cv, groups });
  } catch (error) {
    if (!(error instanceof ValueError) || error.message.startsWith(WHERE)) throw error;
    throw new ValueError(`${WHERE}: the outer folds: ${error.message}`);
  }
}

/** A splitter that hands over folds computed once: every trial of an inner study sees the same folds. */
function fixedFolds(description: string, folds: Fold[]): Splitter {
  return { description, split: () => folds };
}

/** The inner study's best trial; an outer fold whose trials all failed or were pruned cannot go on. */
async function bestTrial(study: Study, i: number) {
  try {
    return await study.best();
  } catch (error) {
    if (!(error instanceof TunebookError)) throw error;
    const counts = (await study.summary()).counts;
    throw new TunebookError(
      `${WHERE}: outer fold ${i + 1}: no inner trial completed (${counts.PRUNED} pruned, ${counts.FAIL} failed), so nothing to refit; ` +
        "raise nTrials or prune less.",
    );
  }
}

/** A short hash of an outer fold's test rows, to tell stored runs on the same folds. */
function fingerprint(test: readonly number[]): string {
  return createHash("sha256").update(JSON.stringify(test)).digest("hex").slice(0, 16);
}
