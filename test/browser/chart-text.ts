import type { Page } from "playwright-core";

/**
 * The text of Vega charts as Chromium lays it out: every axis, legend and title text of
 * each chart's SVG, with its box on the page, read back through the SVG's own structure
 * (Vega gives each text mark a role class and each axis and legend an ARIA label naming
 * its title and scale). `chartProblems` says what a reader would stumble on.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface TextItem {
  text: string;
  /** The box on the page that holds the text (upright). */
  box: Box;
  /** The text's own rectangle on the page, turned as the text is: four corners. */
  corners: [number, number][];
}

/** An axis or a legend. */
export interface GuideText {
  /** Vega's description, e.g. "X-axis titled 'Trial' for a linear scale with values from 0 to 40". */
  aria: string;
  /** The title as one line. */
  title: string;
  /** The title's lines. */
  titleLines: TextItem[];
  labels: TextItem[];
  /** A legend's entries: each label with its symbol's colour (empty for an axis). */
  entries: { label: string; color: string }[];
}

export interface ChartText {
  /** The chart's name (its container's `data-chart`). */
  name: string;
  /** The drawing's box on the page. */
  svg: Box;
  /** The part of the page the chart is seen through (its box, with scrolling); null outside the UI. */
  frame: Box | null;
  /** Chart and panel titles. */
  titles: TextItem[];
  axes: GuideText[];
  legends: GuideText[];
  /** The colours the chart's marks draw each study in (marks whose description names a study). */
  studyColors: Record<string, string[]>;
}

/**
 * Makes the page draw its charts as SVG rather than canvas (whose text cannot be read
 * back): vega-embed, as the vendor script defines it, is wrapped before the page's own
 * script calls it. Call before the page loads.
 */
export async function drawChartsAsSvg(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap a function's inner names with a helper the page lacks.
  await page.addInitScript(`{
    let wrapped;
    Object.defineProperty(window, "vegaEmbed", {
      configurable: true,
      get: () => wrapped,
      set: (embed) => {
        wrapped = Object.assign((el, spec, options) => embed(el, spec, { ...options, renderer: "svg" }), embed);
      },
    });
  }`);
}

/** The text of every chart drawn in the elements matching `selector` (default: the UI's chart containers). */
export async function readCharts(page: Page, selector = "[data-chart]"): Promise<ChartText[]> {
  // tsx keeps function names with a helper, `__name`, that the page does not have.
  await page.evaluate("globalThis.__name ??= (f) => f");
  return page.$$eval(selector, (containers) => {
    const boxOf = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    // Labels Vega hides (overlap removal) are drawn with opacity 0.
    const shown = (t: Element) => t.getAttribute("opacity") !== "0" && (t.textContent ?? "") !== "";
    const colorOf = (el: Element | null) => {
      const paint = (name: string) => el?.getAttribute(name) ?? "";
      const fill = paint("fill");
      return fill && fill !== "none" && fill !== "transparent" ? fill : paint("stroke");
    };
    const cornersOf = (t: SVGTextElement): [number, number][] => {
      const b = t.getBBox();
      const m = t.getScreenCTM();
      const at = (x: number, y: number): [number, number] => (m ? [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f] : [x, y]);
      return [at(b.x, b.y), at(b.x + b.width, b.y), at(b.x + b.width, b.y + b.height), at(b.x, b.y + b.height)];
    };
    const texts = (root: Element, role: string) =>
      Array.from(root.querySelectorAll<SVGTextElement>(`.${role} text`))
        .filter(shown)
        .map((t) => ({ text: t.textContent ?? "", box: boxOf(t), corners: cornersOf(t) }));
    const guide = (g: Element, labelRole: string, titleRole: string) => {
      const titleLines = texts(g, titleRole);
      // A title of several lines is one text element with a tspan per line.
      const lines = Array.from(g.querySelectorAll(`.${titleRole} tspan`)).map((t) => t.textContent ?? "");
      return {
        aria: g.getAttribute("aria-label") ?? "",
        title: lines.length ? lines.join(" ") : titleLines.map((t) => t.text).join(" "),
        titleLines,
        labels: texts(g, labelRole),
        // Symbols and labels come in the same order, one pair per entry (a gradient legend has none).
        entries: Array.from(g.querySelectorAll(".role-legend-symbol path")).map((symbol, i) => ({
          label: g.querySelectorAll(".role-legend-label text")[i]?.textContent ?? "",
          color: colorOf(symbol),
        })),
      };
    };
    const studyColors = (svg: Element) => {
      const found: Record<string, string[]> = {};
      for (const mark of Array.from(svg.querySelectorAll(".role-mark [aria-label]"))) {
        const study = /(?:^|; )Study: (.*?)(?:; |$)/.exec(mark.getAttribute("aria-label") ?? "")?.[1];
        if (study === undefined) continue;
        const color = colorOf(mark);
        found[study] = [...new Set([...(found[study] ?? []), color])];
      }
      return found;
    };
    return containers.flatMap((container) => {
      const svg = container.querySelector("svg");
      if (!svg) return [];
      const frame = container.closest(".chart-box");
      return [
        {
          name: (container as HTMLElement).dataset.chart ?? "",
          svg: boxOf(svg),
          frame: frame ? boxOf(frame) : null,
          titles: texts(svg, "role-title-text"),
          axes: Array.from(svg.querySelectorAll("g.role-axis")).map((g) => guide(g, "role-axis-label", "role-axis-title")),
          legends: Array.from(svg.querySelectorAll("g.role-legend")).map((g) => guide(g, "role-legend-label", "role-legend-title")),
          studyColors: studyColors(svg),
        },
      ];
    });
  });
}

/** Clock times ("14:05", "14:05:30"), with a date before them on a study of several days ("Jan 02 14:05"). */
export const CLOCK = /^([A-Z][a-z]{2} \d{1,2} )?\d{1,2}:\d{2}(:\d{2})?$/;
/** Plain numbers as Vega formats them ("0", "1.5", "1,200", "−3"). */
export const NUMBER = /^[−-]?[\d,]+(\.\d+)?$/;
const INTEGER = /^[−-]?[\d,]+$/;
/** Names longer than this may be cut short ("…"); shorter ones never. */
export const LONG_NAME = 60;

/** Axes whose ticks count things (trials, steps): integer labels only. */
const COUNTING_AXIS = /^(Trial|Completed trials|Step)\b/;
/** The axis of a cross-validation's folds. */
const FOLD_AXIS = /^(Cross-validation )?folds?$/i;

/** How a chart fails a reader: text outside the drawing or its frame, names cut short, times that do not read as times, fractional counts. */
export function chartProblems(chart: ChartText, options: { where: string; names?: readonly string[] }): string[] {
  const problems: string[] = [];
  const at = `${options.where}, chart ${chart.name}`;
  const inside = (b: Box, outer: Box) =>
    b.left >= outer.left - 1 && b.right <= outer.right + 1 && b.top >= outer.top - 1 && b.bottom <= outer.bottom + 1;
  const place = (item: TextItem, what: string) => {
    if (!inside(item.box, chart.svg)) problems.push(`${at}: ${what} "${item.text}" reaches outside the drawing`);
    else if (chart.frame && !inside(item.box, chart.frame)) problems.push(`${at}: ${what} "${item.text}" is cut off by the chart's box`);
  };
  const whole = (item: TextItem, what: string) => {
    if (!item.text.endsWith("…")) return;
    const prefix = item.text.slice(0, -1);
    if (!(options.names ?? []).some((n) => n.length > LONG_NAME && n.startsWith(prefix)))
      problems.push(`${at}: ${what} cut short to "${item.text}"`);
  };
  const apart = (items: TextItem[], what: string) => {
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++)
        if (overlap(items[i].corners, items[j].corners) > 1)
          problems.push(`${at}: ${what} "${items[i].text}" and "${items[j].text}" overlap`);
  };
  for (const t of chart.titles) place(t, "title");
  for (const legend of chart.legends) {
    for (const t of legend.titleLines) place(t, "legend title");
    for (const label of legend.labels) {
      place(label, "legend label");
      whole(label, "legend label");
    }
    apart(legend.labels, "legend labels");
  }
  for (const axis of chart.axes) {
    for (const t of axis.titleLines) place(t, "axis title");
    for (const label of axis.labels) {
      place(label, `label of axis "${axis.title}"`);
      whole(label, `label of axis "${axis.title}"`);
    }
    apart(axis.labels, `labels of axis "${axis.title}"`);
    const labels = axis.labels.map((l) => l.text);
    if (/for a time scale/.test(axis.aria)) {
      const bad = labels.filter((l) => !CLOCK.test(l));
      if (bad.length) problems.push(`${at}: time axis "${axis.title}" has labels that are not clock times: ${bad.join(", ")}`);
    }
    if (/^Seconds\b/.test(axis.title)) {
      const bad = labels.filter((l) => !NUMBER.test(l));
      if (bad.length) problems.push(`${at}: seconds axis "${axis.title}" has labels that are not numbers: ${bad.join(", ")}`);
    }
    if (COUNTING_AXIS.test(axis.title)) {
      const bad = labels.filter((l) => !INTEGER.test(l));
      if (bad.length) problems.push(`${at}: axis "${axis.title}" counts, but has labels ${bad.join(", ")}`);
    }
    if (FOLD_AXIS.test(axis.title)) {
      const bad = labels.filter((l) => !/^fold \d+$/.test(l));
      if (bad.length) problems.push(`${at}: fold axis "${axis.title}" has labels ${bad.join(", ")}`);
    }
  }
  return problems;
}

/**
 * How deep two rectangles (turned any way, as four corners) overlap, in pixels: the least
 * overlap of their shadows on the four directions of their sides (0 when one separates them).
 */
function overlap(a: [number, number][], b: [number, number][]): number {
  let least = Number.POSITIVE_INFINITY;
  for (const shape of [a, b])
    for (let i = 0; i < 2; i++) {
      const [x0, y0] = shape[i];
      const [x1, y1] = shape[i + 1];
      const length = Math.hypot(x1 - x0, y1 - y0) || 1;
      const axis = [(x1 - x0) / length, (y1 - y0) / length];
      const shadow = (s: [number, number][]) => s.map(([x, y]) => x * axis[0] + y * axis[1]);
      const [pa, pb] = [shadow(a), shadow(b)];
      least = Math.min(least, Math.min(Math.max(...pa), Math.max(...pb)) - Math.max(Math.min(...pa), Math.min(...pb)));
    }
  return Math.max(0, least);
}

/** Every axis of the chart whose title matches. */
export function axesTitled(chart: ChartText, title: RegExp): GuideText[] {
  return chart.axes.filter((a) => title.test(a.title));
}
