/**
 * The scoring of a clusterer by name or object, for crossValidate and
 * evaluateClustering: clustering scorers, with the noise handling and the
 * silhouette's metric applied to the scorers given by name that take them.
 */
import { show, ValueError } from "../core/errors.js";
import { type ClusteringScorer, type ClusteringScorerName, type ClusteringScorerOptions, clusteringScorer } from "./metrics/clustering.js";

/** A clustering scorer name (e.g. "silhouette", "daviesBouldin", "adjustedRand") or a ClusteringScorer. */
export type ClusteringScoring = ClusteringScorerName | ClusteringScorer;

const SILHOUETTE_NAMES: readonly string[] = ["silhouette", "silhouette_score"];

/** Whether `value` is a scorer object of clusterings (input "features" or "truth"), not an estimator scorer. */
export function isClusteringScorer(value: unknown): value is ClusteringScorer {
  if (typeof value !== "object" || value === null) return false;
  const { input, score } = value as { input?: unknown; score?: unknown };
  return typeof score === "function" && (input === "features" || input === "truth");
}

/**
 * The clustering scorers `scoring` names (one or a list, names unique), with
 * `noise` set on the "features" scorers and `metric` on the silhouette: each must
 * apply to one of the scorers given by name.
 */
export function clusteringScorers(
  where: string,
  scoring: ClusteringScoring | readonly ClusteringScoring[],
  options: ClusteringScorerOptions = {},
): ClusteringScorer[] {
  const list = Array.isArray(scoring) ? (scoring as readonly ClusteringScoring[]) : [scoring as ClusteringScoring];
  if (list.length === 0) throw new ValueError(`${where}: scoring is an empty list; give at least one scorer, e.g. "silhouette".`);
  const { noise, metric } = options;
  let noiseUsed = false;
  let metricUsed = false;
  const scorers = list.map((item) => {
    if (typeof item === "object" && item !== null && !isClusteringScorer(item)) {
      throw new ValueError(
        `${where}: scoring ${show((item as { name?: unknown }).name ?? item)} is not a clustering scorer; ` +
          `score clusters with a name such as "silhouette" or "adjustedRand", or a scorer made by clusteringScorer(...).`,
      );
    }
    const plain = clusteringScorer(item);
    if (typeof item !== "string" || plain.input !== "features") return plain;
    const takesMetric = SILHOUETTE_NAMES.includes(item);
    noiseUsed ||= noise !== undefined;
    metricUsed ||= takesMetric && metric !== undefined;
    return clusteringScorer(item, { noise, metric: takesMetric ? metric : undefined });
  });
  if (noise !== undefined && !noiseUsed) {
    throw new ValueError(
      `${where}: noise=${show(noise)} applies to silhouette, calinskiHarabasz and daviesBouldin given by name, and scoring has none; ` +
        `leave noise out or add one of them.`,
    );
  }
  if (metric !== undefined && !metricUsed) {
    throw new ValueError(
      `${where}: metric=${show(metric)} applies to the silhouette given by name, and scoring has none; leave metric out.`,
    );
  }
  const names = scorers.map((s) => s.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new ValueError(`${where}: scoring names ${show(repeated)} twice; give each scorer once.`);
  return scorers;
}
