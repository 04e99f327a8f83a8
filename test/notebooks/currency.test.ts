/**
 * The notebooks under notebooks/ as saved (with their outputs, by `npm run notebooks`), and
 * the comparison that tells whether saved outputs are still current: it must find every
 * deliberate change to a saved notebook, and pass over what depends on the clock.
 * The comparison with fresh runs is in the tests that execute the notebooks
 * (notebooks.test.ts and one file per stand-alone notebook).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { root } from "../kernel/harness.js";
import { assertCurrent, chartKind, maskTimingColumns, staleOutputs, textDifference } from "./currency.js";
import { joined, type NotebookJson, type NotebookOutput, normaliseNotebook, serialiseNotebook } from "./normalise.js";
import { RUNS } from "./order.js";
import { PNG_SCALE } from "./static-images.js";

const VEGA_LITE = "application/vnd.vegalite.v5+json";
const NOTEBOOKS = join(root, "notebooks");
const names = readdirSync(NOTEBOOKS)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();
const read = (name: string) => JSON.parse(readFileSync(join(NOTEBOOKS, name), "utf8")) as NotebookJson;
const scratch = mkdtempSync(join(tmpdir(), "tunebook-currency-"));

/** The review-experiments notebook, as saved: progress lines, tables with a seconds column, charts. */
const base = () => normaliseNotebook(read("review-experiments.ipynb"));
const outputs = (notebook: NotebookJson) => notebook.cells.flatMap((c) => c.outputs ?? []);
const plain = (o: NotebookOutput) => joined(o.data?.["text/plain"] as string | string[] | undefined);
const html = (o: NotebookOutput) => joined(o.data?.["text/html"] as string | string[] | undefined);
const firstChart = (notebook: NotebookJson) => outputs(notebook).find((o) => o.data?.[VEGA_LITE])!;
const progressLine = (notebook: NotebookJson) => outputs(notebook).find((o) => /^Study \S+: \d+\/\d+ trials/.test(plain(o)))!;
const trialsTable = (notebook: NotebookJson) => outputs(notebook).find((o) => html(o).includes(">seconds</th>"))!;
/** Rewrites an output's text in every text mime it has. */
function rewrite(output: NotebookOutput, change: (text: string) => string): void {
  for (const mime of ["text/plain", "text/html"])
    if (output.data?.[mime] !== undefined) output.data[mime] = change(joined(output.data[mime] as string | string[]));
}
/** The saved notebook changed by `edit`, and what the comparison says about it. */
function edited(edit: (notebook: NotebookJson) => void, options = {}): string[] {
  const copy = base();
  edit(copy);
  return staleOutputs(base(), copy, options);
}

after(() => rmSync(scratch, { recursive: true, force: true }));

describe("the notebooks as saved", () => {
  it("are every notebook that `npm run notebooks` runs", () => {
    assert.deepEqual(names, RUNS.flat().sort());
  });

  for (const name of names)
    it(`${name}: saved with its outputs, normalised, each chart a PNG beside its Vega-Lite`, () => {
      const text = readFileSync(join(NOTEBOOKS, name), "utf8");
      const notebook = JSON.parse(text) as NotebookJson;
      assert.equal(serialiseNotebook(normaliseNotebook(notebook)), text, "as `npm run notebooks` writes it: run it");
      const code = notebook.cells.filter((c) => c.cell_type === "code");
      assert.deepEqual(
        code.map((c) => c.execution_count),
        code.map((_, i) => i + 1),
        "every code cell ran, in order",
      );
      assert.ok(outputs(notebook).length > 0, "outputs saved");
      assert.ok(!notebook.cells.some((c) => "execution" in c.metadata), "no timestamps of the run");
      assert.doesNotMatch(text, /tunebook-render-|\/tmp\//, "no temporary folder");
      assert.deepEqual(
        outputs(notebook).filter((o) => o.output_type === "error" || o.name === "stderr"),
        [],
      );
      const charts = outputs(notebook).filter((o) => o.data?.[VEGA_LITE]);
      assert.ok(charts.length > 0, "charts drawn");
      for (const chart of charts) {
        assert.equal(chart.data!["image/svg+xml"], undefined, `${plain(chart)}: no SVG, which viewers would pick over the PNG`);
        const png = Buffer.from(chart.data!["image/png"] as string, "base64");
        assert.equal(png.subarray(1, 4).toString(), "PNG", plain(chart));
        const size = chart.metadata?.["image/png"] as { width: number; height: number };
        assert.deepEqual(
          [png.readUInt32BE(16), png.readUInt32BE(20)],
          [size.width * PNG_SCALE, size.height * PNG_SCALE],
          `${plain(chart)}: its size`,
        );
      }
      assert.deepEqual(staleOutputs(notebook, notebook), [], "a notebook matches itself");
    });
});

describe("the comparison of saved outputs with a fresh run", () => {
  it("finds a chart's data changed beyond the tolerance, and not within it", () => {
    const scale = (factor: number) => (notebook: NotebookJson) => {
      const spec = firstChart(notebook).data![VEGA_LITE] as { data: { values: { value: number }[] } };
      spec.data.values[2].value *= factor;
    };
    const found = edited(scale(1.001));
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(
      found[0],
      /output 2: <Vega-Lite chart: Optimization history — random-forest>: \.data\.values\[2\]\.value: saved 0\.9\d+, now /,
    );
    assert.deepEqual(edited(scale(1 + 1e-9)), []);
    assert.equal(edited(scale(1 + 1e-9), { tolerance: 0 }).length, 1);
  });

  it("finds a chart of another kind: a mark or an encoding changed", () => {
    const found = edited((notebook) => {
      const spec = firstChart(notebook).data![VEGA_LITE] as { layer: { mark: unknown }[] };
      spec.layer[0].mark = "bar";
    });
    assert.match(found.join("\n"), /saved marks .* now bar\(/);
    assert.deepEqual(chartKind({ mark: { type: "point" }, encoding: { x: { field: "a", type: "quantitative" } } }), [
      "point(x=a:quantitative:)",
    ]);
    assert.deepEqual(chartKind({ layer: [{ mark: "line" }, { mark: "rule", encoding: { y: { datum: 1 } } }] }), ["line()", "rule(y=1::)"]);
  });

  it("finds a study's trial count, its name, a missing output, a missing image and changed code", () => {
    assert.match(
      edited((n) => rewrite(progressLine(n), (t) => t.replace("6/6 trials", "5/6 trials"))).join("\n"),
      /saved studies random-forest-refined 6\/6, now random-forest-refined 5\/6/,
    );
    assert.match(
      edited((n) => rewrite(progressLine(n), (t) => t.replace("random-forest-refined", "forest"))).join("\n"),
      /saved studies random-forest-refined 6\/6, now forest 6\/6/,
    );
    assert.match(
      edited((n) => n.cells.find((c) => c.outputs?.length)!.outputs!.pop()).join("\n"),
      /cell 1 \("import .*"\): saved 1 outputs, now 0/,
    );
    assert.match(
      edited((n) => delete firstChart(n).data!["image/png"]).join("\n"),
      /saved display_data \[application\/vnd\.vegalite\.v5\+json, image, text\/plain\], now display_data \[application\/vnd\.vegalite\.v5\+json, text\/plain\]/,
    );
    assert.match(
      edited((n) => {
        const cell = n.cells.find((c) => joined(c.source).includes("refineSearchSpace("))!;
        cell.source = joined(cell.source).replace("quantile: 0.3", "quantile: 0.5");
      }).join("\n"),
      /cell 4 \("const refined = refineSearchSpace.*: the code differs/,
    );
  });

  it("takes the kernel's SVG of a chart for the PNG saved in its place", () => {
    const svgInstead = (n: NotebookJson) => {
      const chart = firstChart(n);
      const { "image/png": _png, ...rest } = chart.data!;
      chart.data = { ...rest, "image/svg+xml": "<svg></svg>" };
    };
    assert.deepEqual(edited(svgInstead), []);
  });

  it("passes over durations, timestamps, ports and timing columns, and nothing next to them", () => {
    assert.deepEqual(
      edited((n) => rewrite(progressLine(n), (t) => t.replace(/in \d+\.\d s/, "in 2 min 3 s").replace(/after \d+\.\d s/, "after 41 s"))),
      [],
    );
    assert.deepEqual(
      edited((n) => rewrite(trialsTable(n), (t) => t.replace(/(<td style="text-align:right">)0\.0\d(<\/td>)/g, "$1 12.5$2"))),
      [],
      "the seconds column",
    );
    assert.equal(
      edited((n) => rewrite(trialsTable(n), (t) => t.replace(">0.96839<", ">0.96939<"))).length,
      1,
      "the value column beside it",
    );
    assert.equal(
      textDifference("Tracker UI: http://127.0.0.1:41199/ (status 200)", "Tracker UI: http://127.0.0.1:5173/ (status 200)", 1e-6),
      null,
    );
    assert.match(
      textDifference("Tracker UI: http://127.0.0.1:41199/ (status 200)", "Tracker UI: http://127.0.0.1:41199/ (status 404)", 1e-6)!,
      /of the text differs: saved 200, now 404/,
    );
    assert.equal(textDifference("Looked at: 2026-12-05T18:54:09.593Z", "Looked at: 2027-01-01T00:00:00.000Z", 0), null);
    assert.match(textDifference("best 0.96839 (trial 7)", "best 0.96839 (trial 8)", 1e-6)!, /saved 7, now 8/);
    assert.equal(
      maskTimingColumns("<table><tr><th>seconds</th><th>value</th></tr><tr><td>0.5</td><td>1</td></tr></table>"),
      "<table><tr><th>seconds</th><th>value</th></tr><tr><td><timing></td><td>1</td></tr></table>",
    );
  });

  it("compares only the kinds of outputs and charts when the parameters cell was replaced", () => {
    const budget = (n: NotebookJson) => {
      rewrite(progressLine(n), (t) => t.replace("6/6 trials", "2/2 trials"));
      (firstChart(n).data![VEGA_LITE] as { data: { values: unknown[] } }).data.values.pop();
    };
    assert.ok(edited(budget).length >= 2, "the trial count and the chart's data differ");
    assert.deepEqual(edited(budget, { parametersReplaced: true }), []);
    const found = edited(
      (n) => {
        budget(n);
        (firstChart(n).data![VEGA_LITE] as { layer: { mark: unknown }[] }).layer[0].mark = "bar";
      },
      { parametersReplaced: true },
    );
    assert.equal(found.length, 1, found.join("\n"));
  });

  it("fails with what to run when the saved outputs are stale", () => {
    const copy = base();
    rewrite(progressLine(copy), (t) => t.replace("6/6 trials", "5/6 trials"));
    const path = join(scratch, "review-experiments.ipynb");
    writeFileSync(path, serialiseNotebook(copy));
    assert.throws(() => assertCurrent("review-experiments.ipynb", path), /notebooks\/review-experiments\.ipynb .*run `npm run notebooks`/);
    writeFileSync(path, serialiseNotebook(base()));
    assertCurrent("review-experiments.ipynb", path);
  });
});
