/**
 * Charts saved as PNG images for viewers that do not run Vega: code hosts and
 * `jupyter nbconvert --to html` draw a notebook's image/png but not always its
 * image/svg+xml (nbconvert 6 passes SVG through an HTML sanitiser that strips it to its
 * text), and prefer the SVG when both are there. So in a saved notebook each chart's SVG
 * is replaced by a PNG of it, drawn by Chromium at the SVG's size;
 * the Vega-Lite spec stays for JupyterLab, which draws that.
 */
import type { Browser } from "playwright-core";
import { browserUnavailable, launch } from "../browser/chromium.js";
import type { NotebookJson } from "./normalise.js";

export const VEGA_LITE = "application/vnd.vegalite.v5+json";
export const SVG = "image/svg+xml";
export const PNG = "image/png";

/** The pixel ratio of the PNGs (1: the size of the SVG; 2 would be sharper on dense screens, at twice the bytes). */
export const PNG_SCALE = 1;

/** A PNG of one SVG document, base64, and the size to show it at. */
async function rasterise(browser: Browser, svg: string): Promise<{ png: string; width: number; height: number }> {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: PNG_SCALE });
  try {
    await page.setContent(
      `<!doctype html><body style="margin:0;background:white"><div id="chart" style="display:inline-block;line-height:0">${svg}</div></body>`,
    );
    const chart = page.locator("#chart");
    const box = (await chart.boundingBox())!;
    const png = await chart.screenshot({ type: "png", animations: "disabled" });
    return { png: png.toString("base64"), width: Math.round(box.width), height: Math.round(box.height) };
  } finally {
    await page.close();
  }
}

/** `notebook` with each chart's SVG replaced by a PNG of it (in place); returns how many. */
export async function chartsAsPng(notebook: NotebookJson): Promise<number> {
  const why = browserUnavailable();
  const charts = notebook.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.data?.[VEGA_LITE] !== undefined && typeof o.data[SVG] === "string");
  if (charts.length === 0) return 0;
  if (why) throw new Error(`Saving the charts as PNG needs Chromium: ${why}.`);
  const browser = await launch();
  try {
    for (const output of charts) {
      const data = output.data!;
      const { png, width, height } = await rasterise(browser, data[SVG] as string);
      const { [SVG]: _svg, ...rest } = data;
      output.data = { ...rest, [PNG]: png };
      output.metadata = { ...output.metadata, [PNG]: { width, height } };
    }
  } finally {
    await browser.close();
  }
  return charts.length;
}
