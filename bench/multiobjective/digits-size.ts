/**
 * The accuracy-against-size task of the multi-objective benchmark, cheap enough for 20
 * seeds × several samplers: one decision tree on the bundled digits, accuracy on a fixed
 * stratified 30 % hold-out (maximised) against the tree's node count (minimised). The
 * random forests and MLPs of examples/accuracy-vs-size.ts tell the same story at a
 * hundred times the cost per trial.
 *
 * The space mixes integers, a log-scaled integer, a float and a categorical, as model
 * tuning does, so the default sampler's rule takes its categorical branch (TPE).
 */

import type { StudyDirection } from "../../core/records.js";
import { loadArrays } from "../../learn/datasets.js";
import type { Label } from "../../learn/labels.js";
import { DecisionTreeClassifier } from "../../learn/models/decision-tree.js";
import { trainTestSplit } from "../../learn/splitters/train-test-split.js";
import type { ExternalParam, ExternalParamValue } from "./peer.js";

export const DIGITS_SIZE = "digits_size";

export const DIGITS_SIZE_SPACE: Record<string, ExternalParam> = {
  maxDepth: { low: 1, high: 20, int: true },
  minSamplesLeaf: { low: 1, high: 50, int: true, log: true },
  maxFeatures: { low: 0.1, high: 1 },
  criterion: { choices: ["gini", "entropy"] },
};

export const DIGITS_SIZE_DIRECTIONS: readonly StudyDirection[] = ["maximize", "minimize"];

/**
 * In the directions' own orientation: accuracy above 0, fewer than 1,000 nodes (the
 * largest trees, fully grown on a tenth of the features, have about 550). Every trial
 * counts; the true front is not known, so this task reports hypervolumes only, no gap.
 */
export const DIGITS_SIZE_REFERENCE_POINT: readonly number[] = [0, 1000];

/** What a trial needs to suggest the space's parameters. */
export interface SuggestAny {
  suggestInt(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestFloat(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends ExternalParamValue>(name: string, choices: readonly T[]): T;
}

/** Suggests every parameter of an external space on one of our trials, as optuna_peer.py does on Optuna's. */
export function suggestFromSpace(trial: SuggestAny, space: Record<string, ExternalParam>): Record<string, ExternalParamValue> {
  const params: Record<string, ExternalParamValue> = {};
  for (const [name, spec] of Object.entries(space)) {
    if ("choices" in spec) params[name] = trial.suggestCategorical(name, spec.choices);
    else if (spec.int) params[name] = trial.suggestInt(name, spec.low, spec.high, { log: spec.log, step: spec.step });
    else params[name] = trial.suggestFloat(name, spec.low, spec.high, { log: spec.log, step: spec.step });
  }
  return params;
}

let split: { xTrain: number[][]; yTrain: Label[]; xTest: number[][]; yTest: Label[] } | undefined;

/** [hold-out accuracy, node count] of the tree the parameters describe (its own seed fixed, so a point has one value). */
export function evaluateDigitsSize(params: Record<string, ExternalParamValue>): [number, number] {
  if (split === undefined) {
    const { X, y } = loadArrays("digits");
    const { trainParts, testParts } = trainTestSplit([X, y], { testSize: 0.3, stratify: y, seed: 0 });
    split = { xTrain: trainParts[0], yTrain: trainParts[1], xTest: testParts[0], yTest: testParts[1] };
  }
  const tree = new DecisionTreeClassifier({
    maxDepth: params.maxDepth as number,
    minSamplesLeaf: params.minSamplesLeaf as number,
    maxFeatures: params.maxFeatures as number,
    criterion: params.criterion as "gini" | "entropy",
    seed: 0,
  });
  tree.fit(split.xTrain, split.yTrain);
  const predicted = tree.predict(split.xTest);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === split.yTest[i]) correct++;
  return [correct / predicted.length, tree.tree!.nodeCount];
}
