import type { ChartSpec } from "./common.js";

/**
 * Vega-Lite → Vega → SVG on Node, with no canvas and no browser. vega and vega-lite
 * are loaded on first use, so importing the charts stays cheap.
 */

interface Engines {
  compile: (spec: ChartSpec) => { spec: unknown };
  vega: typeof import("vega");
}

let engines: Promise<Engines> | null = null;

function load(): Promise<Engines> {
  engines ??= Promise.all([import("vega-lite"), import("vega")]).then(([vl, vega]) => ({
    compile: (spec: ChartSpec) => vl.compile(spec),
    vega,
  }));
  return engines;
}

/** The Vega spec a Vega-Lite spec compiles to (throws on an invalid spec). */
export async function compileToVega(spec: ChartSpec): Promise<unknown> {
  const { compile } = await load();
  return compile(spec).spec;
}

/** Render a Vega-Lite spec to an SVG document (a string starting with `<svg`). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const { compile, vega } = await load();
  const vegaSpec = compile(spec).spec as Parameters<typeof vega.parse>[0];
  const view = new vega.View(vega.parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
