/**
 * Clustering scorers by name, for tuning a clustering: a scorer knows its
 * direction (silhouette and Calinski–Harabasz maximise, Davies–Bouldin
 * minimises) and what it compares the labels with — the data X ("features")
 * or known classes yTrue ("truth"). The estimator scorers of `index.ts` take
 * (yTrue, predictions) only, so the internal scores, which need X, have this
 * registry of their own; the label comparisons are in both.
 */
import { checkChoice, checkOptionKeys, closest, show, ValueError } from "../../core/errors.js";
import type { Features } from "../estimator.js";
import type { Label } from "../labels.js";

import {
  adjustedMutualInfo,
  adjustedRand,
  completeness,
  fowlkesMallows,
  homogeneity,
  mutualInfo,
  normalizedMutualInfo,
  rand,
  vMeasure,
} from "./clustering-external.js";
import {
  calinskiHarabasz,
  daviesBouldin,
  NOISE_HANDLING,
  type NoiseHandling,
  SILHOUETTE_METRICS,
  type SilhouetteMetric,
  silhouette,
} from "./clustering-internal.js";

type Comparison = (yTrue: readonly Label[], yPred: readonly Label[]) => number;

/**
 * The label comparisons (greater is better for each), under tunebook's names and
 * scikit-learn's scoring strings; `index.ts` makes estimator scorers of them too.
 */
export const LABEL_COMPARISONS = {
  adjustedRand,
  rand,
  mutualInfo,
  normalizedMutualInfo: (t, p) => normalizedMutualInfo(t, p),
  adjustedMutualInfo: (t, p) => adjustedMutualInfo(t, p),
  homogeneity,
  completeness,
  vMeasure: (t, p) => vMeasure(t, p),
  fowlkesMallows,
  adjusted_rand_score: adjustedRand,
  rand_score: rand,
  mutual_info_score: mutualInfo,
  normalized_mutual_info_score: (t, p) => normalizedMutualInfo(t, p),
  adjusted_mutual_info_score: (t, p) => adjustedMutualInfo(t, p),
  homogeneity_score: homogeneity,
  completeness_score: completeness,
  v_measure_score: (t, p) => vMeasure(t, p),
  fowlkes_mallows_score: fowlkesMallows,
} as const satisfies Record<string, Comparison>;

/** What a clustering scorer compares the labels with: the clustered rows X, or known classes yTrue. */
export type ClusteringScorerInput = "features" | "truth";

/** One clustering to score: its labels, with X for the internal scores or yTrue for the comparisons. */
export interface ClusteringData {
  /** The clustered rows, one per label: needed when the scorer's input is "features". */
  readonly X?: Features;
  /** The cluster label of each row. */
  readonly labels: readonly Label[];
  /** The known class of each row: needed when the scorer's input is "truth". */
  readonly yTrue?: readonly Label[];
}

/** A named clustering score with a direction. */
export interface ClusteringScorer {
  readonly name: string;
  readonly greaterIsBetter: boolean;
  readonly input: ClusteringScorerInput;
  score(data: ClusteringData): number;
}

export interface ClusteringScorerOptions {
  /**
   * For the "features" scorers: rows labelled −1 (DBSCAN's noise) are one more
   * cluster ("cluster", scikit-learn's behaviour), are left out ("exclude"), or
   * make the score throw ("error"). Default "cluster".
   */
  noise?: NoiseHandling;
  /** For the silhouette scorers: "euclidean", "manhattan" or "cosine". Default "euclidean". */
  metric?: SilhouetteMetric;
}

interface Settings {
  noise: NoiseHandling;
  metric: SilhouetteMetric;
}

interface Internal {
  readonly greaterIsBetter: boolean;
  readonly takesMetric: boolean;
  readonly score: (X: Features, labels: readonly Label[], settings: Settings) => number;
}

const SILHOUETTE: Internal = { greaterIsBetter: true, takesMetric: true, score: (X, l, s) => silhouette(X, l, s) };
const CALINSKI_HARABASZ: Internal = {
  greaterIsBetter: true,
  takesMetric: false,
  score: (X, l, s) => calinskiHarabasz(X, l, { noise: s.noise }),
};
const DAVIES_BOULDIN: Internal = {
  greaterIsBetter: false,
  takesMetric: false,
  score: (X, l, s) => daviesBouldin(X, l, { noise: s.noise }),
};

/** The scores of labels against the data, under tunebook's names and scikit-learn's function names. */
const INTERNAL = {
  silhouette: SILHOUETTE,
  calinskiHarabasz: CALINSKI_HARABASZ,
  daviesBouldin: DAVIES_BOULDIN,
  silhouette_score: SILHOUETTE,
  calinski_harabasz_score: CALINSKI_HARABASZ,
  davies_bouldin_score: DAVIES_BOULDIN,
} as const;

export type ClusteringScorerName = keyof typeof INTERNAL | keyof typeof LABEL_COMPARISONS;

/** Every name `clusteringScorer` accepts. */
export const CLUSTERING_SCORER_NAMES = [...Object.keys(INTERNAL), ...Object.keys(LABEL_COMPARISONS)] as ClusteringScorerName[];

function needed<T>(name: string, value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new ValueError(`clustering scorer ${show(name)} needs ${what}; pass { ${what.split(" ")[0]}, labels }.`);
  }
  return value;
}

function checkData(name: string, data: ClusteringData): void {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ValueError(`clustering scorer ${show(name)}: score takes one object { X or yTrue, labels }, got ${show(data)}.`);
  }
}

/**
 * The clustering scorer called `name` (a `ClusteringScorer` passes through
 * unchanged): `clusteringScorer("daviesBouldin").score({ X, labels })`,
 * `clusteringScorer("adjustedRand").score({ yTrue, labels })`. Options set the
 * noise handling of the "features" scorers and the silhouette's metric.
 */
export function clusteringScorer(name: ClusteringScorerName | ClusteringScorer, options: ClusteringScorerOptions = {}): ClusteringScorer {
  const where = "clusteringScorer";
  if (typeof name === "object" && name !== null && typeof name.score === "function") return name;
  if (typeof name !== "string" || !CLUSTERING_SCORER_NAMES.includes(name)) {
    const hint = typeof name === "string" ? closest(name, CLUSTERING_SCORER_NAMES) : undefined;
    throw new ValueError(
      `unknown clustering scoring ${show(name)}.` +
        (hint ? ` Did you mean ${show(hint)}?` : "") +
        ` Known clustering scorers: ${CLUSTERING_SCORER_NAMES.join(", ")}.`,
    );
  }
  checkOptionKeys(where, options, ["noise", "metric"]);
  const internal: Internal | undefined = Object.hasOwn(INTERNAL, name) ? INTERNAL[name as keyof typeof INTERNAL] : undefined;
  if (internal === undefined) {
    if (options?.noise !== undefined || options?.metric !== undefined) {
      throw new ValueError(
        `${where}: ${show(name)} compares labels with yTrue, where -1 is an ordinary label; ` +
          `noise and metric apply to silhouette, calinskiHarabasz and daviesBouldin only.`,
      );
    }
    const compare: Comparison = LABEL_COMPARISONS[name as keyof typeof LABEL_COMPARISONS];
    return {
      name,
      greaterIsBetter: true,
      input: "truth",
      score: (data) => {
        checkData(name, data);
        return compare(needed(name, data.yTrue, "yTrue (the known classes)"), data.labels);
      },
    };
  }
  if (options?.metric !== undefined && !internal.takesMetric) {
    throw new ValueError(`${where}: metric applies to the silhouette only; ${show(name)} uses Euclidean distances.`);
  }
  const settings: Settings = {
    noise: checkChoice(where, "noise", options?.noise, NOISE_HANDLING, "cluster"),
    metric: checkChoice(where, "metric", options?.metric, SILHOUETTE_METRICS, "euclidean"),
  };
  return {
    name,
    greaterIsBetter: internal.greaterIsBetter,
    input: "features",
    score: (data) => {
      checkData(name, data);
      return internal.score(needed(name, data.X, "X (the clustered rows)"), data.labels, settings);
    },
  };
}
