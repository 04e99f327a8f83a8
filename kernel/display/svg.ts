/**
 * Server-side SVG of a Vega-Lite spec (vega on Node, no browser), so a chart also
 * shows in viewers without a Vega renderer and in saved notebooks.
 */
export async function specToSvg(spec: object): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vegaLite.compile(spec as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
