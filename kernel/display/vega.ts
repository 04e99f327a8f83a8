import { type ChartSpec, VEGA_LITE_MIME, VEGA_LITE_SCHEMA } from "../../tracker/charts/common.js";
import { renderSvg } from "../../tracker/charts/render.js";
import type { MimeBundle } from "./output.js";

export { VEGA_LITE_MIME };

/**
 * The schema of the Vega-Lite that JupyterLab draws `VEGA_LITE_MIME` with (its vega5
 * extension bundles vega-lite 5). The charts declare v6, the UI's version, and use
 * nothing v5 lacks; under the v5 mime type a v6 spec is labelled v5, what draws it,
 * so vega-embed in JupyterLab logs no version warning.
 */
export const JUPYTER_VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A v6 spec (ours, or a user's) relabelled for Jupyter's renderer, as a copy; any other spec as given. */
function forJupyter(spec: VegaLiteSpec | ChartSpec): VegaLiteSpec | ChartSpec {
  return spec.$schema === VEGA_LITE_SCHEMA ? { ...spec, $schema: JUPYTER_VEGA_LITE_SCHEMA } : spec;
}

/** A Vega-Lite spec: any JSON object with a mark, a composition or a Vega-Lite `$schema`. */
export type VegaLiteSpec = { [key: string]: unknown };

/** True for objects that look like a Vega-Lite spec (so `show` can draw them). */
export function isVegaLiteSpec(value: unknown): value is VegaLiteSpec {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const spec = value as Record<string, unknown>;
  if (typeof spec.$schema === "string") return spec.$schema.includes("vega-lite");
  return ["mark", "layer", "concat", "hconcat", "vconcat", "facet", "repeat"].some((key) => key in spec);
}

/**
 * One chart as one bundle: the spec for JupyterLab, an SVG rendering (vega on
 * Node) for other viewers and saved notebooks, and a line of text. A spec vega
 * cannot render still shows as the spec; the text says why the SVG is missing.
 */
export async function vegaLiteBundle(spec: VegaLiteSpec | ChartSpec): Promise<MimeBundle> {
  const plain = describeChart(spec as VegaLiteSpec);
  const shown = forJupyter(spec);
  try {
    return { [VEGA_LITE_MIME]: shown, "image/svg+xml": await renderSvg(spec as ChartSpec), "text/plain": plain };
  } catch (error) {
    return { [VEGA_LITE_MIME]: shown, "text/plain": `${plain} (no SVG rendering: ${(error as Error).message})` };
  }
}

function describeChart(spec: VegaLiteSpec): string {
  const title = spec.title;
  const text =
    typeof title === "string"
      ? title
      : title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string"
        ? (title as { text: string }).text
        : undefined;
  const description = typeof spec.description === "string" ? spec.description : undefined;
  return `<Vega-Lite chart${text ? `: ${text}` : description ? `: ${description}` : ""}>`;
}
