import { show, ValueError } from "../../core/errors.js";
import { base, type ChartOptions, type ChartSpec, emptySpec, inOrder, vegaText } from "./common.js";

/** Feature–target association: one bar per feature, strongest first (the scores are computed elsewhere). */

export interface FeatureAssociation {
  feature: string;
  /** Strength of the association, e.g. mutual information, |r|, or an F statistic. */
  score: number;
  /** p-value of the association, when the method gives one. */
  pValue?: number | null;
}

export interface FeatureAssociationRow {
  feature: string;
  score: number;
  pValue: number | null;
}

export function featureAssociationData(associations: readonly FeatureAssociation[]): FeatureAssociationRow[] {
  return associations
    .map((a, i) => {
      if (typeof a.score !== "number" || Number.isNaN(a.score))
        throw new ValueError(`featureAssociationData: association ${i} (${show(a.feature)}) has score ${show(a.score)}, not a number.`);
      return { feature: a.feature, score: a.score, pValue: a.pValue ?? null };
    })
    .sort((a, b) => b.score - a.score);
}

export interface FeatureAssociationSpecOptions extends ChartOptions {
  /** The measure, for the title and axis (default "Association"), e.g. "Mutual information". */
  method?: string;
  /** The target's name, for the title. */
  target?: string;
}

export function featureAssociationSpec(rows: readonly FeatureAssociationRow[], options: FeatureAssociationSpecOptions = {}): ChartSpec {
  const method = options.method ?? "Association";
  const title = options.target ? `${method} with ${options.target}` : `Feature–target ${method.toLowerCase()}`;
  if (rows.length === 0) return emptySpec(title, "No features.", options);
  return {
    ...base(title, options, 420, Math.max(60, 22 * rows.length)),
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: "bar", color: "#72b7b2", tooltip: true },
    encoding: {
      y: { field: "feature", type: "nominal", title: null, ...inOrder(rows.map((r) => r.feature)) },
      x: { field: "score", type: "quantitative", title: vegaText(method) },
      tooltip: [
        { field: "feature", type: "nominal", title: "Feature" },
        { field: "score", type: "quantitative", title: vegaText(method), format: ".4~g" },
        { field: "pValue", type: "quantitative", title: "p-value", format: ".3~g" },
      ],
    },
  };
}
