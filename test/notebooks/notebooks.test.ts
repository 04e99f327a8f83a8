/**
 * Every notebook in notebooks/, executed top to bottom by the real Jupyter client
 * (nbclient, the engine of `jupyter nbconvert --execute`) with the tunebook kernel
 * installed to a temporary prefix, in order, in one folder: review-experiments
 * reopens the tracker the others wrote.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { StudySummary, TrialRecord } from "../../core/records.js";
import { openStorage } from "../../tracker/storage/open.js";
import { ensureBuilt, installKernelToTemp, PYTHON, requireJupyter, root } from "../kernel/harness.js";
import { assertCurrent } from "./currency.js";
import { TOUR } from "./order.js";

/** Run order: the later notebooks read what the earlier ones stored. */
const ORDER = TOUR;
const VEGA_LITE = "application/vnd.vegalite.v5+json";

interface Output {
  output_type: string;
  name?: string;
  text?: string;
  mimes?: string[];
  ename?: string;
}
interface NotebookReport {
  name: string;
  seconds: number;
  error: string | null;
  cells: { index: number; source: string; outputs: Output[] }[];
}

const workdir = mkdtempSync(join(tmpdir(), "tunebook-notebooks-"));
let prefix = "";
let reports = new Map<string, NotebookReport>();
const studies = new Map<string, { summary: StudySummary; trials: TrialRecord[] }>();

const charts = (report: NotebookReport) => report.cells.flatMap((c) => c.outputs).filter((o) => o.mimes?.includes(VEGA_LITE));
const outputsOf = (report: NotebookReport, marker: string) => {
  const cell = report.cells.find((c) => c.source.includes(marker));
  assert.ok(cell, `a cell containing ${marker}`);
  return cell.outputs;
};

describe("the notebooks under Jupyter", () => {
  let ready = false;
  before(() => ensureBuilt());
  after(() => {
    rmSync(workdir, { recursive: true, force: true });
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it("are the four notebooks of the tour, and three that stand alone (accuracy-vs-size, clustering and honest-selection, each run by its own test file)", () => {
    assert.deepEqual(
      readdirSync(join(root, "notebooks"))
        .filter((f) => f.endsWith(".ipynb"))
        .sort(),
      [...ORDER, "accuracy-vs-size.ipynb", "clustering.ipynb", "honest-selection.ipynb"].sort(),
    );
  });

  it("run top to bottom through nbclient", (t) => {
    if (!requireJupyter(t)) return;
    const installed = installKernelToTemp();
    prefix = installed.prefix;
    for (const name of ORDER) copyFileSync(join(root, "notebooks", name), join(workdir, name));
    const result = spawnSync(
      PYTHON,
      [join(root, "test", "notebooks", "run_notebooks.py"), workdir, join(workdir, "executed"), ...ORDER.map((n) => join(workdir, n))],
      {
        env: installed.env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { notebooks: NotebookReport[] };
    reports = new Map(report.notebooks.map((n) => [n.name, n]));
    for (const notebook of report.notebooks) {
      assert.equal(notebook.error, null, `${notebook.name} failed:\n${notebook.error}`);
      const errors = notebook.cells.flatMap((c) =>
        c.outputs
          .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
          .map((o) => `cell ${c.index}: ${o.text}`),
      );
      assert.deepEqual(errors, [], `${notebook.name} wrote errors`);
    }
    ready = true;
  });

  const check = (name: string, fn: () => void | Promise<void>) =>
    it(name, async (t) => {
      if (!ready) return t.skip("the notebooks did not run (see above)");
      await fn();
    });

  check("the tracker holds every study with its trials, none left RUNNING", async () => {
    assert.ok(existsSync(join(workdir, "tunebook.db")), "tune-and-compare stored its studies next to the notebook");
    const storage = openStorage(`sqlite:${join(workdir, "tunebook.db")}`, { mustExist: true });
    try {
      for (const summary of await storage.listStudies())
        studies.set(summary.name, { summary, trials: await storage.getAllTrials(summary.studyId) });
    } finally {
      await storage.close();
    }
    assert.deepEqual([...studies.keys()].sort(), ["knn", "logistic-regression", "mlp", "random-forest", "random-forest-refined"]);
    const expected: Record<string, { experiment: string; trials: number }> = {
      "random-forest": { experiment: "breast-cancer", trials: 8 },
      knn: { experiment: "breast-cancer", trials: 12 },
      "logistic-regression": { experiment: "breast-cancer", trials: 12 },
      mlp: { experiment: "wine-mlp", trials: 24 },
      "random-forest-refined": { experiment: "breast-cancer", trials: 6 },
    };
    for (const [name, want] of Object.entries(expected)) {
      const { summary, trials } = studies.get(name)!;
      assert.equal(summary.experiment, want.experiment, name);
      assert.equal(summary.direction, "maximize", name);
      assert.equal(trials.length, want.trials, name);
      assert.equal(summary.counts.RUNNING + summary.counts.FAIL + summary.counts.WAITING, 0, name);
    }
    for (const name of ["random-forest", "knn", "logistic-regression", "random-forest-refined"]) {
      const { trials } = studies.get(name)!;
      assert.ok(
        trials.every((t) => t.state === "COMPLETE"),
        name,
      );
      assert.ok(
        trials.every((t) => Array.isArray(t.userAttrs.fold_scores) && t.userAttrs.fold_scores.length === 5),
        `${name}: 5 fold scores per trial`,
      );
    }
    const mlp = studies.get("mlp")!;
    assert.ok(mlp.summary.counts.PRUNED > 0 && mlp.summary.counts.COMPLETE > 0, "the pruner stopped some trials and let others finish");
    assert.ok(
      mlp.trials.filter((t) => t.state === "PRUNED").every((t) => Object.keys(t.intermediateValues).length > 0),
      "pruned trials keep their learning curves",
    );
  });

  check("explore-dataset draws its four charts as Vega-Lite with an SVG", () => {
    const report = reports.get("explore-dataset.ipynb")!;
    const drawn = charts(report);
    assert.deepEqual(
      drawn.map((o) => o.text),
      [
        "<Vega-Lite chart: Correlation (pearson)>",
        "<Vega-Lite chart: Mutual information with target>",
        "<Vega-Lite chart: Feature distributions>",
        "<Vega-Lite chart: Class balance — target>",
      ],
    );
    assert.ok(drawn.every((o) => o.mimes!.includes("image/svg+xml") && o.mimes!.includes("text/plain")));
    assert.match(outputsOf(report, "wine.frame")[0].text!, /178 rows × 14 columns/);
  });

  check("tune-and-compare tunes three studies, compares them and serves the tracker UI", () => {
    const report = reports.get("tune-and-compare.ipynb")!;
    for (const [study, trials] of [
      ["random-forest", 8],
      ["knn", 12],
      ["logistic-regression", 12],
    ] as const) {
      const outputs = outputsOf(report, `%%tune study=${study} `);
      assert.match(outputs[0].text!, new RegExp(`^Study ${study}: ${trials}/${trials} trials`), "the progress line, last state");
      assert.ok(outputs.some((o) => o.mimes?.includes(VEGA_LITE) && o.text === `<Vega-Lite chart: Optimization history — ${study}>`));
    }
    const comparison = outputsOf(report, "compareStudies(");
    const best = [...studies.values()].filter(
      (s) => s.summary.experiment === "breast-cancer" && s.summary.name !== "random-forest-refined",
    );
    const ranked = best.sort((a, b) => b.summary.bestValue! - a.summary.bestValue!).map((s) => s.summary.name);
    assert.match(comparison[1].text!, new RegExp(`^${ranked[0]} vs ${ranked[1]} \\(the two best\\), on 5 folds`));
    assert.deepEqual(
      comparison.filter((o) => o.mimes?.includes(VEGA_LITE)).map((o) => o.text),
      ["<Vega-Lite chart: Best value so far>", "<Vega-Lite chart: Fold scores>"],
    );
    assert.match(outputsOf(report, "startServer(")[0].text!, /^Tracker UI: http:\/\/127\.0\.0\.1:\d+\/ .*status 200\)/);
  });

  check("neural-net-pruning shows learning curves of pruned and completed trials", () => {
    const report = reports.get("neural-net-pruning.ipynb")!;
    const curves = outputsOf(report, "intermediateSpec(");
    const counts = studies.get("mlp")!.summary.counts;
    assert.match(curves[0].text!, new RegExp(`COMPLETE: ${counts.COMPLETE}\\b`));
    assert.match(curves[0].text!, new RegExp(`PRUNED: ${counts.PRUNED}\\b`));
    assert.ok(curves[1].mimes!.includes(VEGA_LITE));
    assert.equal(curves[1].text, "<Vega-Lite chart: Validation accuracy per epoch>");
    assert.deepEqual(
      charts(report)
        .map((o) => o.text)
        .slice(-2),
      ["<Vega-Lite chart: Optimization history — mlp>", "<Vega-Lite chart: Hyperparameter importance (fANOVA) — mlp>"],
    );
  });

  check("review-experiments reopens the tracker, refines the space, tunes again and compares", () => {
    const report = reports.get("review-experiments.ipynb")!;
    const listed = outputsOf(report, "listStudies(")[0].text!;
    assert.match(listed, /^4 studies\n/, "the four studies of the earlier notebooks");
    assert.deepEqual(
      charts(report).map((o) => o.text),
      [
        "<Vega-Lite chart: Optimization history — random-forest>",
        "<Vega-Lite chart: Hyperparameter importance (fANOVA) — random-forest>",
        "<Vega-Lite chart: Optimization history — random-forest-refined>",
        "<Vega-Lite chart: Best value so far>",
        "<Vega-Lite chart: Fold scores>",
      ],
    );
    assert.match(outputsOf(report, "refineSearchSpace(")[0].text!, /^Search space narrowed to the \d+ best of 8 complete trials/);
    const refined = studies.get("random-forest-refined")!.trials;
    const maxDepths = refined.map((t) => t.params.maxDepth as number);
    const narrowed = /maxDepth\s+IntDistribution\(2, 6\)\s+(?:IntDistribution\((\d+), (\d+)\)|unchanged)/.exec(
      outputsOf(report, "refineSearchSpace(")[0].text!,
    );
    assert.ok(narrowed, "the maxDepth range before and after");
    if (narrowed[1])
      assert.ok(
        maxDepths.every((d) => d >= Number(narrowed[1]) && d <= Number(narrowed[2])),
        "the second round samples inside the narrowed range",
      );
    assert.match(outputsOf(report, "compareStudies([forest")[1].text!, /vs .* \(the two best\), on 5 folds/);
  });

  for (const name of ORDER)
    check(`${name}: the outputs saved in notebooks/ are what it computes now`, () =>
      assertCurrent(name, join(workdir, "executed", name), { folders: [workdir] }),
    );
});
