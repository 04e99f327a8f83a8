import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import type { JsonValue, TrialRecord } from "../../core/records.js";
import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  emptySpec,
  titled,
  VEGA_LITE_SCHEMA,
  vegaText,
  wholeLegend,
} from "./common.js";

/**
 * Clustering quality against the number of clusters: one panel per score (their scales
 * differ), every clustering as a dot and the best per number of clusters as a line, the
 * elbow of the inertia marked. Score names travel as data and titles, never as fields.
 */

/** User attribute of a trial: the number of clusters it fitted (a number). */
export const N_CLUSTERS_ATTR = "n_clusters";
/** User attribute of a trial: its clustering scores, name → number (may include "inertia" and "stability"). */
export const CLUSTER_SCORES_ATTR = "cluster_scores";

/**
 * Scores where lower is better, under tunebook's and scikit-learn's names; every other
 * score is taken as higher-is-better (silhouette, Calinski–Harabasz, stability, the label
 * comparisons).
 */
export const LOWER_IS_BETTER_SCORES: readonly string[] = ["inertia", "daviesBouldin", "davies_bouldin_score", "davies_bouldin"];

/** One clustering: its number of clusters and its scores. */
export interface ClusterQualityPoint {
  nClusters: number;
  scores: Readonly<Record<string, number>>;
  /** The trial it came from, for the tooltip. */
  trial?: number;
}

export interface ClusterQualityRow {
  score: string;
  nClusters: number;
  value: number;
  /** True for the best value of this score at this number of clusters (one per score and k). */
  best: boolean;
  trial: number | null;
}

export interface ClusterQualityScore {
  name: string;
  lowerIsBetter: boolean;
}

export interface ClusterQualityData {
  /** Every point's every score, in the order of the points. */
  rows: ClusterQualityRow[];
  /** The scores, in order of first appearance, with their directions. */
  scores: ClusterQualityScore[];
  /** The elbow of the best inertia per number of clusters (`kneeOf`); null without inertia or a knee. */
  knee: number | null;
}

export interface ClusterQualityDataOptions {
  /** More scores where lower is better, besides `LOWER_IS_BETTER_SCORES` (default none). */
  lowerIsBetter?: readonly string[];
}

/**
 * Rows of every score of every clustering, the best per number of clusters flagged (the
 * highest, or the lowest for inertia and Davies–Bouldin), and the knee of the inertia.
 */
export function clusterQualityData(points: readonly ClusterQualityPoint[], options: ClusterQualityDataOptions = {}): ClusterQualityData {
  checkOptionKeys("clusterQualityData", options, ["lowerIsBetter"]);
  const lower = new Set([...LOWER_IS_BETTER_SCORES, ...(options.lowerIsBetter ?? [])]);
  if (!Array.isArray(points)) throw new ValueError(`clusterQualityData: points must be an array, got ${show(points)}.`);
  const rows: ClusterQualityRow[] = [];
  const names: string[] = [];
  points.forEach((p, i) => {
    const k = p?.nClusters;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1)
      throw new ValueError(`clusterQualityData: point ${i} has nClusters ${show(k)}; it must be an integer ≥ 1.`);
    if (p.scores === null || typeof p.scores !== "object" || Array.isArray(p.scores))
      throw new ValueError(`clusterQualityData: point ${i} (k = ${k}) has scores ${show(p.scores)}; give an object { name: number }.`);
    for (const [score, value] of Object.entries(p.scores)) {
      if (typeof value !== "number" || !Number.isFinite(value))
        throw new ValueError(
          `clusterQualityData: point ${i} (k = ${k}) has ${score} = ${show(value)}; scores must be finite numbers (leave out a score that is undefined).`,
        );
      if (!names.includes(score)) names.push(score);
      rows.push({ score, nClusters: k, value, best: false, trial: p.trial ?? null });
    }
  });
  const bestAt = new Map<string, ClusterQualityRow>();
  for (const row of rows) {
    const key = JSON.stringify([row.score, row.nClusters]);
    const held = bestAt.get(key);
    if (!held || (lower.has(row.score) ? row.value < held.value : row.value > held.value)) bestAt.set(key, row);
  }
  for (const row of bestAt.values()) row.best = true;
  const inertia = rows.filter((r) => r.best && r.score === "inertia");
  return {
    rows,
    scores: names.map((name) => ({ name, lowerIsBetter: lower.has(name) })),
    knee: kneeOf(inertia.map((r) => [r.nClusters, r.value])),
  };
}

/**
 * The knee (elbow) of a decreasing, convex curve by the Kneedle method (Satopää et al.,
 * 2011): x and y scaled to [0, 1], the knee is the x whose point lies farthest below the
 * chord from the first point to the last (the vertical distance, which ranks points as the
 * perpendicular one does). Points are sorted by x. Null with fewer than 3 distinct x, a
 * flat curve, or no point below the chord (a straight or concave curve has no elbow).
 * Ties go to the smaller x.
 */
export function kneeOf(curve: readonly (readonly [number, number])[]): number | null {
  const sorted = [...curve].sort((a, b) => a[0] - b[0]);
  if (new Set(sorted.map(([x]) => x)).size !== sorted.length)
    throw new ValueError(`kneeOf: the curve has x values more than once (${sorted.map(([x]) => x).join(", ")}); give one y per x.`);
  if (sorted.length < 3) return null;
  const [x0, xn] = [sorted[0][0], sorted[sorted.length - 1][0]];
  const ys = sorted.map(([, y]) => y);
  const [low, high] = [Math.min(...ys), Math.max(...ys)];
  if (high === low) return null;
  const scaled = sorted.map(([x, y]) => [(x - x0) / (xn - x0), (y - low) / (high - low)]);
  const [y0, yn] = [scaled[0][1], scaled[scaled.length - 1][1]];
  let knee: number | null = null;
  let farthest = 1e-12;
  scaled.forEach(([x, y], i) => {
    const below = y0 + (yn - y0) * x - y;
    if (below > farthest) [knee, farthest] = [sorted[i][0], below];
  });
  return knee;
}

const isScores = (v: JsonValue | undefined): v is Record<string, JsonValue> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The clustering a completed trial records (`N_CLUSTERS_ATTR`, `CLUSTER_SCORES_ATTR`); null if it records none. */
export function clusterPointOf(trial: TrialRecord): ClusterQualityPoint | null {
  const k = trial.userAttrs[N_CLUSTERS_ATTR];
  const stored = trial.userAttrs[CLUSTER_SCORES_ATTR];
  if (trial.state !== "COMPLETE" || typeof k !== "number" || !Number.isInteger(k) || k < 1 || !isScores(stored)) return null;
  // An undefined score (a silhouette of one cluster) is stored as null: left out.
  const scores = Object.fromEntries(
    Object.entries(stored).filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1])),
  );
  return Object.keys(scores).length === 0 ? null : { nClusters: k, scores, trial: trial.number };
}

/** True when a completed trial records its number of clusters and at least one score. */
export function hasClusterScores(trials: readonly TrialRecord[]): boolean {
  return trials.some((t) => clusterPointOf(t) !== null);
}

/** The clusterings a study's completed trials record, in trial order (others are left out). */
export function clusterQualityFromTrials(trials: readonly TrialRecord[], options: ClusterQualityDataOptions = {}): ClusterQualityData {
  const points = [...trials]
    .sort((a, b) => a.number - b.number)
    .map(clusterPointOf)
    .filter((p): p is ClusterQualityPoint => p !== null);
  return clusterQualityData(points, options);
}

export interface ClusterQualitySpecOptions extends ChartOptions {
  study?: string;
}

const DOT_COLOR = "#9ecae9";
const LINE_COLOR = "#4c78a8";
const EACH = "Each clustering";
const BEST = "Best at each number of clusters";
const KNEE_COLOR = "#e45756";

/** One panel per score (`height` is a panel's), sharing the x axis "Number of clusters" with integer ticks. */
export function clusterQualitySpec(data: ClusterQualityData, options: ClusterQualitySpecOptions = {}): ChartSpec {
  const title = titled("Clustering quality by number of clusters", options.study);
  if (data.rows.length === 0) return emptySpec(title, "No trial records n_clusters and cluster_scores yet.", options);
  const skeleton = base(title, options, 480, 150);
  const last = data.scores.length - 1;
  const ks = [...new Set(data.rows.map((r) => r.nClusters))];
  const x = (i: number) => ({
    field: "nClusters",
    type: "quantitative" as const,
    title: i === last ? "Number of clusters" : null,
    scale: { domain: [Math.min(...ks) - 0.5, Math.max(...ks) + 0.5], nice: false, zero: false },
    axis: countAxis(ks.length <= 20 ? { values: [...ks].sort((a, b) => a - b) } : {}),
  });
  const tooltip = [
    { field: "nClusters", type: "quantitative" as const, title: "Clusters" },
    { field: "value", type: "quantitative" as const, title: "Score", format: ".6~g" },
    { field: "trial", type: "nominal" as const, title: "Trial" },
  ];
  // Dots and line told apart by one legend below the panels.
  const series = (name: string) => ({
    datum: name,
    type: "nominal" as const,
    scale: { domain: [EACH, BEST], range: [DOT_COLOR, LINE_COLOR] },
    legend: wholeLegend(2),
  });
  const panel = (score: ClusterQualityScore, i: number) => {
    const y = { field: "value", type: "quantitative" as const, title: vegaText(score.name), scale: { zero: false } };
    const layers: object[] = [
      {
        mark: { type: "point", filled: true, size: 40, opacity: 0.9, tooltip: true },
        encoding: { x: x(i), y, color: series(EACH), tooltip },
      },
      {
        transform: [{ filter: { field: "best", equal: true } }],
        mark: { type: "line", strokeWidth: 2, point: { filled: true, size: 50 } },
        encoding: { x: x(i), y, color: series(BEST), order: { field: "nClusters", type: "quantitative" }, tooltip },
      },
    ];
    if (score.name === "inertia" && data.knee !== null)
      layers.push({
        data: { values: [{ knee: data.knee, label: `elbow: ${data.knee} clusters` }] },
        layer: [
          {
            mark: { type: "rule", color: KNEE_COLOR, strokeDash: [5, 4], strokeWidth: 1.5 },
            encoding: { x: { field: "knee", type: "quantitative" } },
          },
          {
            mark: { type: "text", color: KNEE_COLOR, align: "left", baseline: "top", dx: 4, y: 4, fontSize: 11 },
            encoding: { x: { field: "knee", type: "quantitative" }, text: { field: "label", type: "nominal" } },
          },
        ],
      });
    return {
      title: { text: vegaText(`${score.name} (${score.lowerIsBetter ? "lower" : "higher"} is better)`), fontSize: 12, anchor: "start" },
      width: skeleton.width,
      height: skeleton.height,
      transform: [{ filter: { field: "score", equal: score.name } }],
      layer: layers,
    };
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: skeleton.title,
    data: { values: data.rows.map((r) => ({ ...r, trial: r.trial ?? "—" })) },
    columns: 1,
    concat: data.scores.map(panel),
    resolve: { scale: { x: "shared" } },
  } as ChartSpec;
}
