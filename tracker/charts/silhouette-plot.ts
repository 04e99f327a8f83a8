import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { downsampleIndices, MAX_CHART_POINTS } from "../analysis/summaries.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, STUDY_PALETTE, VEGA_LITE_SCHEMA, wholeLegend } from "./common.js";

/**
 * The silhouette plot of a clustering, as scikit-learn's gallery draws it: one horizontal
 * bar per sample, its silhouette value, sorted within each cluster, the clusters stacked
 * with a gap between them and coloured each its own, a dashed rule at the mean silhouette.
 * The first cluster is at the bottom; noise (label −1, DBSCAN's) comes last, at the top, in
 * grey, or is left out.
 */

export type ClusterLabel = number | string;

/** The label scikit-learn's DBSCAN gives noise. */
export const NOISE_LABEL = -1;
/** The colour of noise on every clustering chart. */
export const NOISE_COLOR = "#9d9d9d";

/** "cluster 0" for a number, the label itself for a string; "noise" for −1. */
export function clusterName(label: ClusterLabel): string {
  if (label === NOISE_LABEL) return "noise";
  return typeof label === "number" ? `cluster ${label}` : label;
}

/** The colour scale of clusters by name, in order, noise in grey: the same on every clustering chart. */
export function clusterColors(names: readonly string[]): { domain: string[]; range: string[] } {
  const clusters = names.filter((n) => n !== "noise");
  return {
    domain: [...names],
    range: names.map((n) => (n === "noise" ? NOISE_COLOR : STUDY_PALETTE[clusters.indexOf(n) % STUDY_PALETTE.length])),
  };
}

/** Labels checked (numbers or strings, one per sample) and ordered: numbers numerically, strings by code point, noise last. */
export function checkClusterLabels(where: string, labels: readonly ClusterLabel[], n: number, what = "labels"): ClusterLabel[] {
  if (!Array.isArray(labels)) throw new ValueError(`${where}: ${what} must be an array, got ${show(labels)}.`);
  if (labels.length !== n) throw new ValueError(`${where}: ${what} has ${labels.length} entries for ${n} samples; give one per sample.`);
  labels.forEach((l, i) => {
    if (!(typeof l === "string" || (typeof l === "number" && Number.isFinite(l))))
      throw new ValueError(`${where}: ${what}[${i}] is ${show(l)}; labels must be numbers or strings.`);
  });
  const distinct = [...new Set(labels)];
  if (distinct.some((l) => typeof l === "number") && distinct.some((l) => typeof l === "string"))
    throw new ValueError(`${where}: ${what} mix numbers and strings (${distinct.slice(0, 4).map(show).join(", ")}); use one type.`);
  return distinct.sort((a, b) =>
    a === NOISE_LABEL ? 1 : b === NOISE_LABEL ? -1 : typeof a === "number" ? a - (b as number) : a < b ? -1 : a > b ? 1 : 0,
  );
}

export interface SilhouetteInput {
  /** Each sample's silhouette value, in [−1, 1] (`silhouetteSamples`); noise's is not read when noise is omitted. */
  silhouette: readonly number[];
  /** Each sample's cluster. */
  labels: readonly ClusterLabel[];
}

export interface SilhouetteDataOptions {
  /** Noise (label −1): drawn after the clusters in grey ("separate") or left out ("omit"). Default "separate". */
  noise?: "separate" | "omit";
  /**
   * Cap on the bars (default 5,000): a larger clustering keeps an even sample of each
   * cluster's sorted values (its shape kept), in proportion to its size.
   */
  maxPoints?: number;
}

export interface SilhouetteRow {
  cluster: string;
  /** Bottom and top of the bar on the vertical axis (samples from the bottom, gaps between clusters). */
  y: number;
  y2: number;
  value: number;
  /** The sample's index in the input. */
  sample: number;
}

export interface SilhouetteCluster {
  cluster: string;
  size: number;
  mean: number;
  /** The middle of the cluster's bars on the vertical axis. */
  middle: number;
}

export interface SilhouetteData {
  rows: SilhouetteRow[];
  clusters: SilhouetteCluster[];
  /** Mean silhouette of the samples drawn (noise included when separate); null when none. */
  mean: number | null;
}

/** Bars of each cluster's samples, sorted by value, clusters from the bottom in label order with a gap between. */
export function silhouetteData(input: SilhouetteInput, options: SilhouetteDataOptions = {}): SilhouetteData {
  checkOptionKeys("silhouetteData", options, ["noise", "maxPoints"]);
  const noise = options.noise ?? "separate";
  if (noise !== "separate" && noise !== "omit")
    throw new ValueError(`silhouetteData: noise is ${show(noise)}; it must be "separate" or "omit".`);
  const values = input?.silhouette;
  if (!Array.isArray(values)) throw new ValueError(`silhouetteData: silhouette must be an array of numbers, got ${show(values)}.`);
  const order = checkClusterLabels("silhouetteData", input.labels, values.length).filter((l) => noise === "separate" || l !== NOISE_LABEL);
  // Omitted noise may hold anything (silhouetteSamples with noise "exclude" gives it NaN).
  values.forEach((v, i) => {
    if (noise === "omit" && input.labels[i] === NOISE_LABEL) return;
    if (typeof v !== "number" || !Number.isFinite(v) || v < -1 || v > 1)
      throw new ValueError(`silhouetteData: silhouette[${i}] is ${show(v)}; silhouette values are numbers in [−1, 1].`);
  });
  const members = order.map((label) =>
    values
      .map((value, sample) => ({ value, sample }))
      .filter(({ sample }) => input.labels[sample] === label)
      .sort((a, b) => a.value - b.value || a.sample - b.sample),
  );
  const total = members.reduce((n, m) => n + m.length, 0);
  const max = options.maxPoints ?? MAX_CHART_POINTS;
  const gap = Math.max(2, Math.round(total * 0.02));
  const rows: SilhouetteRow[] = [];
  const clusters: SilhouetteCluster[] = [];
  let y = 0;
  let sum = 0;
  order.forEach((label, c) => {
    const all = members[c];
    const kept = total > max ? downsampleIndices(all.length, Math.max(1, Math.round((max * all.length) / total))) : all.map((_, i) => i);
    // Each kept bar stands for the samples around it: the cluster keeps its height.
    const step = all.length / kept.length;
    const cluster = clusterName(label);
    kept.forEach((i, j) => {
      rows.push({ cluster, y: y + j * step, y2: y + (j + 1) * step, value: all[i].value, sample: all[i].sample });
    });
    const clusterSum = all.reduce((s, m) => s + m.value, 0);
    sum += clusterSum;
    clusters.push({ cluster, size: all.length, mean: clusterSum / all.length, middle: y + all.length / 2 });
    y += all.length + gap;
  });
  return { rows, clusters, mean: total > 0 ? sum / total : null };
}

export interface SilhouetteSpecOptions extends ChartOptions {
  /** What was clustered, for the title (e.g. "k-means, 4 clusters"). */
  subject?: string;
}

/** Each cluster's outline as steps: a bar's value from its bottom up, the last one closed at its top. */
function outline(rows: readonly SilhouetteRow[]): { cluster: string; y: number; value: number }[] {
  const points = rows.map((r) => ({ cluster: r.cluster, y: r.y, value: r.value }));
  rows.forEach((r, i) => {
    if (rows[i + 1]?.cluster !== r.cluster) points.push({ cluster: r.cluster, y: r.y2, value: r.value });
  });
  return points;
}

export function silhouetteSpec(data: SilhouetteData, options: SilhouetteSpecOptions = {}): ChartSpec {
  const title = options.subject ? `Silhouette per cluster — ${options.subject}` : "Silhouette per cluster";
  if (data.rows.length === 0 || data.mean === null) return emptySpec(title, "No samples.", options);
  const names = data.clusters.map((c) => c.cluster);
  // From −0.1 (or a tenth below the lowest value) to 1.
  const low = Math.min(-0.1, Math.floor(Math.min(...data.rows.map((r) => r.value)) * 10) / 10);
  const x = { type: "quantitative" as const, scale: { domain: [low, 1], nice: false } };
  const mean = Number(data.mean.toFixed(3));
  return {
    ...base(title, options, 480, Math.min(600, Math.max(240, 18 * names.length + 200))),
    $schema: VEGA_LITE_SCHEMA,
    layer: [
      {
        data: { values: outline(data.rows) },
        // One filled shape per cluster (bars of one sample each would show seams between them).
        mark: { type: "area", orient: "horizontal", interpolate: "step-after" },
        encoding: {
          x: { ...x, field: "value", title: "Silhouette value", axis: { tickCount: 8 } },
          x2: { datum: 0 },
          y: {
            field: "y",
            type: "quantitative",
            title: "Samples, sorted within each cluster",
            axis: { labels: false, ticks: false, grid: false },
          },
          color: {
            field: "cluster",
            type: "nominal",
            scale: clusterColors(names),
            legend: { ...wholeLegend(names.length, "Cluster"), symbolType: "square" },
          },
          // Per-sample fields would split the shape into one per sample.
          tooltip: [{ field: "cluster", type: "nominal", title: "Cluster" }],
        },
      },
      {
        data: { values: [{ mean, label: `mean ${mean}` }] },
        layer: [
          { mark: { type: "rule", color: "#e45756", strokeDash: [5, 4], strokeWidth: 1.5 }, encoding: { x: { ...x, field: "mean" } } },
          {
            mark: { type: "text", color: "#e45756", align: mean > 0.6 ? "right" : "left", dx: mean > 0.6 ? -4 : 4, baseline: "top", y: 4 },
            encoding: { x: { ...x, field: "mean" }, text: { field: "label", type: "nominal" } },
          },
        ],
      },
    ],
  } as ChartSpec;
}
