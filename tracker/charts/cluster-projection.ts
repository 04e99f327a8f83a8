import { checkOptionKeys, show, ValueError } from "../../core/errors.js";
import { downsampleIndices, MAX_CHART_POINTS } from "../analysis/summaries.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, VEGA_LITE_SCHEMA, vegaText, wholeLegend } from "./common.js";
import { type ClusterLabel, checkClusterLabels, clusterColors, clusterName } from "./silhouette-plot.js";

/**
 * A clustering seen in two dimensions (e.g. the first two principal components): one
 * point per sample coloured by its cluster, noise in grey, and, given the true classes,
 * shaped by class, so a cluster that mixes classes shows.
 */

export interface ClusterProjectionInput {
  /** Each sample's two coordinates. */
  points: readonly (readonly [number, number])[];
  /** Each sample's cluster (−1: noise). */
  labels: readonly ClusterLabel[];
  /** Each sample's true class (optional). */
  yTrue?: readonly ClusterLabel[];
}

export interface ClusterProjectionDataOptions {
  /** Cap on the points (default 5,000): an even sample of them, in input order. */
  maxPoints?: number;
}

export interface ClusterProjectionRow {
  x: number;
  y: number;
  cluster: string;
  /** The true class as text; null without yTrue. */
  truth: string | null;
  /** The sample's index in the input. */
  sample: number;
}

export interface ClusterProjectionData {
  rows: ClusterProjectionRow[];
  /** Cluster names in legend order (numbers ascending, noise last), of every sample, drawn or not. */
  clusters: string[];
  /** True classes in order; empty without yTrue. */
  classes: string[];
  /** Samples in the input (more than the rows when capped). */
  total: number;
}

export function clusterProjectionData(input: ClusterProjectionInput, options: ClusterProjectionDataOptions = {}): ClusterProjectionData {
  const where = "clusterProjectionData";
  checkOptionKeys(where, options, ["maxPoints"]);
  const points = input?.points;
  if (!Array.isArray(points)) throw new ValueError(`${where}: points must be an array of [x, y] pairs, got ${show(points)}.`);
  points.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2)
      throw new ValueError(`${where}: points[${i}] is ${show(p)}; each point is [x, y], two numbers.`);
    p.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new ValueError(`${where}: points[${i}][${j}] is ${show(v)}; coordinates must be finite numbers.`);
    });
  });
  const clusters = checkClusterLabels(where, input.labels, points.length).map(clusterName);
  const classes = input.yTrue === undefined ? [] : checkClusterLabels(where, input.yTrue, points.length, "yTrue").map(String);
  const kept = downsampleIndices(points.length, options.maxPoints ?? MAX_CHART_POINTS);
  return {
    rows: kept.map((i) => ({
      x: points[i][0],
      y: points[i][1],
      cluster: clusterName(input.labels[i]),
      truth: input.yTrue === undefined ? null : String(input.yTrue[i]),
      sample: i,
    })),
    clusters,
    classes,
    total: points.length,
  };
}

export interface ClusterProjectionSpecOptions extends ChartOptions {
  /** Axis titles (default "Component 1", "Component 2"), e.g. "PC1 (36.2%)". */
  xTitle?: string;
  yTitle?: string;
  /** What was clustered, for the title. */
  subject?: string;
}

const SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left"];

export function clusterProjectionSpec(data: ClusterProjectionData, options: ClusterProjectionSpecOptions = {}): ChartSpec {
  const title = options.subject ? `Clusters in two dimensions — ${options.subject}` : "Clusters in two dimensions";
  if (data.rows.length === 0) return emptySpec(title, "No samples.", options);
  const withTruth = data.classes.length > 0;
  const tooltip = [
    { field: "sample", type: "quantitative" as const, title: "Sample" },
    { field: "cluster", type: "nominal" as const, title: "Cluster" },
    ...(withTruth ? [{ field: "truth", type: "nominal" as const, title: "True class" }] : []),
    { field: "x", type: "quantitative" as const, title: vegaText(options.xTitle ?? "Component 1"), format: ".4~g" },
    { field: "y", type: "quantitative" as const, title: vegaText(options.yTitle ?? "Component 2"), format: ".4~g" },
  ];
  const capped = data.total > data.rows.length ? ` (${data.rows.length} of ${data.total} samples)` : "";
  return {
    ...base(title + capped, options, 480, 360),
    $schema: VEGA_LITE_SCHEMA,
    data: { values: data.rows.map((r) => ({ ...r })) },
    mark: { type: "point", filled: true, size: 45, opacity: 0.8, tooltip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: vegaText(options.xTitle ?? "Component 1"), scale: { zero: false } },
      y: { field: "y", type: "quantitative", title: vegaText(options.yTitle ?? "Component 2"), scale: { zero: false } },
      color: {
        field: "cluster",
        type: "nominal",
        scale: clusterColors(data.clusters),
        legend: wholeLegend(data.clusters.length, "Cluster"),
      },
      ...(withTruth
        ? {
            shape: {
              field: "truth",
              type: "nominal",
              scale: { domain: data.classes, range: data.classes.map((_, i) => SHAPES[i % SHAPES.length]) },
              legend: wholeLegend(data.classes.length, "True class"),
            },
          }
        : {}),
      tooltip,
    },
  } as ChartSpec;
}
