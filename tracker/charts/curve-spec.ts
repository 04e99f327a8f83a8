import {
  base,
  type ChartOptions,
  type ChartSpec,
  countAxis,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  emptySpec,
  nameLabels,
  titled,
  vegaText,
  wholeLegend,
} from "./common.js";
import {
  type CurveData,
  type CurveDataOptions,
  type CurveRegion,
  type CurveResult,
  curveData,
  TRAIN_SERIES,
  VALIDATION_SERIES,
} from "./curves.js";

/**
 * A validation or learning curve drawn: the training and validation scores' means as two
 * lines, each with a band of ± one standard deviation over the folds; the regions where the
 * model over-fits or under-fits shaded and named above the plot (the rule is in curves.ts);
 * the best validation point ringed. x is the hyperparameter (a log axis when its values span
 * decades, in the given order when they are not numbers) or the number of training rows.
 */

export interface CurveSpecOptions extends ChartOptions {
  /** Study name for the title. */
  study?: string;
  /** Axis title of x (default: the hyperparameter's name, "Hyperparameter value", or "Training rows"). */
  xTitle?: string;
  /** Axis title of y (default: the scorer, e.g. "accuracy (mean ± std over 5 folds)"). */
  yTitle?: string;
}

/** Okabe and Ito's colours, told apart with any colour vision: blue and vermillion lines, a black ring. */
const TRAIN_COLOR = "#0072B2";
const VALIDATION_COLOR = "#D55E00";
const BEST = "Best validation score";
const BEST_COLOR = "#000000";
const REGION_STYLE = {
  overfitting: { fill: "#CC79A7", opacity: 0.16, text: "#8E4F73" },
  underfitting: { fill: "#999999", opacity: 0.22, text: "#555555" },
} as const;

/** Title offset that leaves room between a title and the regions' names above the plot (a spec's `config`). */
export const REGION_NAME_ROOM = { title: { offset: 20 } };

/** "Validation curve of k", "Validation curve", "Learning curve". */
export function curveTitle(data: Pick<CurveData, "kind" | "param">): string {
  if (data.kind === "learning-curve") return "Learning curve";
  return data.param ? `Validation curve of ${data.param}` : "Validation curve";
}

/** The chart of a curve's data (`curveData`). */
export function curveSpec(data: CurveData, options: CurveSpecOptions = {}): ChartSpec {
  const title = titled(curveTitle(data), options.study);
  if (data.points.length === 0) return emptySpec(title, "No point of the curve has finite training and validation scores.", options);
  const skeleton = base(title, options, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  const xTitle = vegaText(options.xTitle ?? (data.kind === "learning-curve" ? "Training rows" : (data.param ?? "Hyperparameter value")));
  const folds = Math.max(...data.points.map((p) => p.folds));
  const yTitle = vegaText(options.yTitle ?? `${data.scoring.name} (mean ± std over ${folds} folds)`);
  const labels = data.points.map((p) => p.label);
  const categorical = data.axis === "categorical";
  const xScale = categorical
    ? { type: "band" as const, domain: labels, paddingInner: 0, paddingOuter: 0 }
    : data.axis === "log"
      ? { type: "log" as const, nice: false, padding: 14 }
      : { type: "linear" as const, zero: false, nice: false, padding: 14 };
  const integers = !categorical && data.points.every((p) => Number.isInteger(p.x));
  const upright = nameLabels(labels, skeleton.width / labels.length);
  // Upright names sit under their band's middle (vega-lite would end them there).
  const nameAxis = upright.labelAngle === 0 ? { ...upright, labelAlign: "center" as const } : upright;
  const axis = categorical ? nameAxis : integers ? countAxis() : {};
  const x = (field: string) => ({
    field,
    type: categorical ? ("ordinal" as const) : ("quantitative" as const),
    title: xTitle,
    scale: xScale,
  });
  const y = { type: "quantitative" as const, title: yTitle, scale: { zero: false } };
  const domain = [TRAIN_SERIES, VALIDATION_SERIES, BEST];
  const color = {
    field: "series",
    type: "nominal" as const,
    scale: { domain, range: [TRAIN_COLOR, VALIDATION_COLOR, BEST_COLOR] },
    // Symbols at full strength, not at the bands' opacity.
    legend: { ...wholeLegend(domain.length), direction: "horizontal" as const, columns: domain.length, symbolOpacity: 1 },
  };
  const tooltip = [
    { field: "label", type: "nominal" as const, title: xTitle },
    { field: "series", type: "nominal" as const, title: "Score" },
    { field: "mean", type: "quantitative" as const, title: "Mean", format: ".4~g" },
    { field: "std", type: "quantitative" as const, title: "Std over folds", format: ".3~g" },
    { field: "region", type: "nominal" as const, title: "Region" },
  ];
  const regionOf = new Map(data.points.map((p) => [p.label, p.region ?? "—"]));
  const rows = data.rows.map((r) => ({ ...r, region: regionOf.get(r.label) }));
  const best = data.points.filter((p) => p.best).map((p) => ({ ...p, series: BEST, mean: p.validationMean, std: p.validationStd }));
  // A band per point on a categorical axis; edges half-way between points on a numeric one.
  const regionRows: { kind: string; x: number | string; x2?: number | string }[] = categorical
    ? data.regions.flatMap((r) => r.points.map((label) => ({ kind: r.kind, x: label })))
    : data.regions.map((r) => ({ kind: r.kind, x: r.from, x2: r.to }));
  const regionKinds = Object.keys(REGION_STYLE) as (keyof typeof REGION_STYLE)[];
  const regionLayers = regionKinds.flatMap((kind) => {
    const style = REGION_STYLE[kind];
    const shaded = regionRows.filter((r) => r.kind === kind);
    if (shaded.length === 0) return [];
    const named = data.regions
      .filter((r) => r.kind === kind)
      .map((r) => ({ ...labelPlace(r, data), text: kind, points: r.points.join(", ") }));
    return [
      {
        data: { values: shaded },
        mark: { type: "rect" as const, color: style.fill, opacity: style.opacity },
        encoding: categorical ? { x: x("x") } : { x: x("x"), x2: { field: "x2" } },
      },
      // One layer per alignment: a name at either end of the axis is kept inside the plot's width.
      ...(["left", "center", "right"] as const)
        .map((align) => ({ align, values: named.filter((n) => n.align === align) }))
        .filter(({ values }) => values.length > 0)
        .map(({ align, values }) => ({
          data: { values },
          mark: {
            type: "text" as const,
            color: style.text,
            fontSize: 11,
            fontWeight: "bold" as const,
            align,
            baseline: "bottom" as const,
            dy: -4,
            tooltip: true,
          },
          encoding: {
            // On a categorical axis, at the outer edge of the end band.
            x: categorical && align !== "center" ? { ...x("x"), bandPosition: align === "left" ? 0 : 1 } : x("x"),
            y: { value: 0 },
            text: { field: "text", type: "nominal" as const },
            tooltip: [{ field: "points", type: "nominal" as const, title: `${kind} at` }],
          },
        })),
    ];
  });
  return {
    ...skeleton,
    // Room above the plot for the regions' names.
    ...(regionLayers.length > 0 ? { config: REGION_NAME_ROOM } : {}),
    description: `${curveTitle(data)}: ${data.scoring.name} on ${data.cv}`,
    layer: [
      ...regionLayers,
      {
        data: { values: rows },
        layer: [
          {
            mark: { type: "area", opacity: 0.18 },
            encoding: { x: { ...x("x"), axis }, y: { field: "low", ...y }, y2: { field: "high" }, color },
          },
          {
            mark: { type: "line", point: { filled: true, size: 40 }, strokeWidth: 2, tooltip: true },
            encoding: { x: x("x"), y: { field: "mean", ...y }, color, tooltip },
          },
        ],
      },
      {
        data: { values: best },
        mark: { type: "point", filled: false, size: 260, strokeWidth: 2, tooltip: true },
        encoding: {
          x: x("x"),
          y: { field: "mean", ...y },
          color,
          tooltip: [
            { field: "label", type: "nominal" as const, title: xTitle },
            { field: "mean", type: "quantitative" as const, title: `Best validation ${data.scoring.name}`, format: ".4~g" },
            { field: "std", type: "quantitative" as const, title: "Std over folds", format: ".3~g" },
          ],
        },
      },
    ],
  } as ChartSpec;
}

/**
 * Where a region's name goes above the plot: centred on the region, except that a region
 * touching an end of the axis has its name start (or end) at its outer edge, so the name
 * does not run past the plot into the axis labels.
 */
function labelPlace(region: CurveRegion, data: CurveData): { x: number | string; align: "left" | "center" | "right" } {
  const first = data.points[0].label;
  const last = data.points[data.points.length - 1].label;
  const atStart = region.points[0] === first;
  const atEnd = region.points[region.points.length - 1] === last;
  if (atStart === atEnd) return { x: region.center, align: "center" };
  if (data.axis === "categorical") return { x: atStart ? first : last, align: atStart ? "left" : "right" };
  return atStart ? { x: region.from, align: "left" } : { x: region.to, align: "right" };
}

/** A curve's chart straight from what `validationCurve` or `learningCurve` returned. */
export function curveChart(result: CurveResult, options: CurveSpecOptions & CurveDataOptions = {}): ChartSpec {
  const { logX, ...spec } = options;
  return curveSpec(curveData(result, logX === undefined ? {} : { logX }), spec);
}
