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
  const result = await vegaEmbed(target, spec as Parameters<typeof embed>[1], {
    ast: true,
    actions: false,
    defaultStyle: false,
    renderer: "canvas",
    tooltip: { disableDefaultStyle: true },
  });
  views.get(container)?.finalize();
  views.set(container, result);
  replace(container, target);
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
