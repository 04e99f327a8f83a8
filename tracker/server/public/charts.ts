/**
 * Drawing the server's Vega-Lite specs with vega-embed (loaded as a global from
 * /vendor). Expressions are evaluated by vega's AST interpreter (`ast: true`), so the
 * page runs under a Content-Security-Policy without 'unsafe-eval'.
 */

import type embed from "vega-embed";
import type { ChartSpec } from "../types.js";
import { h, replace } from "./common.js";

declare global {
  interface Window {
    vegaEmbed?: typeof embed;
  }
}

const views = new WeakMap<Element, { finalize(): void }>();

/** Draws `spec` into `container`, replacing (and releasing) what was drawn there before. */
export async function drawChart(container: HTMLElement, spec: ChartSpec): Promise<void> {
  const vegaEmbed = window.vegaEmbed;
  if (!vegaEmbed) throw new Error("The chart library did not load (/vendor/vega-embed.js).");
  const target = h("div", { className: "chart" });
  const room = container.clientWidth;
  const result = await vegaEmbed(target, spec as Parameters<typeof embed>[1], {
    ast: true,
    actions: false,
    defaultStyle: false,
    renderer: "canvas",
    tooltip: { disableDefaultStyle: true },
  });
  await fitWidth(target, result.view, room);
  views.get(container)?.finalize();
  views.set(container, result);
  replace(container, target);
}

/**
 * A chart wider than its box would be cut off at the box's edge (axis labels, a legend on
 * the right): its plot is narrowed until the whole drawing fits, when the chart has one
 * plot width to narrow (a concatenation of panels keeps its size; it sits in a wide box).
 * A title centred over the plot moves with it and may still stick out: a few passes.
 */
async function fitWidth(
  target: HTMLElement,
  view: { signal(name: string, value?: unknown): unknown; runAsync(): Promise<unknown> },
  room: number,
): Promise<void> {
  for (let pass = 0; pass < 4; pass++) {
    const drawn = target.querySelector<HTMLElement>("canvas, svg");
    const width = drawn ? Number.parseFloat(drawn.style.width || drawn.getAttribute("width") || "0") : 0;
    const over = Math.ceil(width - room);
    if (!(room > 0 && over > 0)) return;
    let plot: unknown;
    try {
      plot = view.signal("width");
    } catch {
      return; // no single plot width
    }
    if (typeof plot !== "number" || plot <= 160) return;
    view.signal("width", Math.max(160, Math.floor(plot - over)));
    await view.runAsync();
  }
}

/**
 * A box holding one chart (the spec carries its own title), a caption for caveats,
 * and `title` shown only while there is no chart.
 */
export function chartBox(
  title: string,
  options: { wide?: boolean; name?: string } = {},
): { box: HTMLElement; body: HTMLElement; caption: HTMLElement } {
  const body = h(
    "div",
    { className: "chart-body", dataset: { chart: options.name ?? title } },
    h("p", { className: "muted" }, `${title}: loading…`),
  );
  const caption = h("p", { className: "muted caption" });
  const box = h("section", { className: options.wide ? "chart-box wide" : "chart-box", title }, body, caption);
  return { box, body, caption };
}

export function showNote(body: HTMLElement, note: string): void {
  views.get(body)?.finalize();
  views.delete(body);
  replace(body, h("p", { className: "muted note" }, note));
}
