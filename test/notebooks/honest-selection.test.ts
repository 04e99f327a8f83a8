/**
 * notebooks/honest-selection.ipynb executed top to bottom by the real Jupyter client
 * (nbclient, as notebooks.test.ts runs the tour), as it is written: its budgets are
 * already small. Its outputs are checked against what it stored in the tracker file.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { StudySummary, TrialRecord } from "../../core/records.js";
import { formatValue } from "../../kernel/display/table.js";
import { curveData, curveSummary, isCurveResult } from "../../tracker/charts/curves.js";
import { openStorage } from "../../tracker/storage/open.js";
import { type NestedRun, nestedRunsOf } from "../../tune/nested-record.js";
import { CONVERGENCE_ATTR, type ConvergenceRecord, STOP_REASON_ATTR } from "../../tune/stopping/index.js";
import { lockboxRecord } from "../../tune/test-set-record.js";
import { ensureBuilt, installKernelToTemp, requireJupyter, root } from "../kernel/harness.js";
import { assertCurrent } from "./currency.js";
import { type Cell, executeNotebook, type Output } from "./run-notebook.js";

const NOTEBOOK = "honest-selection.ipynb";
const VEGA_LITE = "application/vnd.vegalite.v5+json";
const SVG = "image/svg+xml";
const FINAL = "honest-final";
const GAP = "honest-forest-gap";
const ALGORITHMS = ["knn", "forest", "logreg"];
/** The budget of the `%%tune ... stop=converged` cell. */
const BUDGET = 60;

const workdir = mkdtempSync(join(tmpdir(), "tunebook-honest-"));
let prefix = "";
let cells: Cell[] = [];
const studies = new Map<string, { summary: StudySummary; trials: TrialRecord[] }>();
let runs: NestedRun[] = [];

const outputsOf = (marker: string) => {
  const found = cells.filter((c) => c.source.includes(marker));
  assert.equal(found.length, 1, `one cell containing ${marker}`);
  return found[0].outputs;
};
const text = (outputs: Output[]) => outputs.map((o) => o.text ?? "").join("\n");
const charts = (outputs: Output[]) => outputs.filter((o) => o.mimes?.includes(VEGA_LITE));
const titles = (outputs: Output[]) => charts(outputs).map((o) => o.text!.split("\n")[0]);
const study = (name: string) => {
  const found = studies.get(name);
  assert.ok(found, `the study ${name} in the tracker`);
  return found;
};
/** A number as the notebook's tables print it, as a pattern. */
const printed = (value: number) => formatValue(value).replace(/[.+]/g, "\\$&");

describe("the honest-selection notebook under Jupyter", () => {
  let ready = false;
  before(() => ensureBuilt());
  after(() => {
    rmSync(workdir, { recursive: true, force: true });
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it("runs top to bottom through nbclient without an error", async (t) => {
    if (!requireJupyter(t)) return;
    const installed = installKernelToTemp();
    prefix = installed.prefix;
    const copy = join(workdir, NOTEBOOK);
    copyFileSync(join(root, "notebooks", NOTEBOOK), copy);
    cells = executeNotebook(workdir, copy, installed.env);

    const storage = openStorage(`sqlite:${join(workdir, "tunebook.db")}`, { readOnly: true, mustExist: true });
    try {
      const summaries = await storage.listStudies();
      for (const summary of summaries) studies.set(summary.name, { summary, trials: await storage.getAllTrials(summary.studyId) });
      runs = nestedRunsOf(summaries);
    } finally {
      await storage.close();
    }
    ready = true;
  });

  const check = (name: string, fn: () => void) =>
    it(name, (t) => {
      if (!ready) return t.skip("the notebook did not run (see above)");
      fn();
    });

  check("the outputs saved in notebooks/ are what it computes now", () =>
    assertCurrent(NOTEBOOK, join(workdir, "executed", NOTEBOOK), { folders: [workdir] }),
  );

  check("stores the final study, the gap study and fifteen inner studies in two experiments, nothing left unfinished", () => {
    const inner = ALGORITHMS.flatMap((a) => [1, 2, 3, 4, 5].map((i) => `nested-${a}/outer-${i}`));
    assert.deepEqual([...studies.keys()].sort(), [FINAL, GAP, ...inner].sort());
    for (const name of [FINAL, GAP]) assert.equal(study(name).summary.experiment, "honest-selection", name);
    for (const name of inner) {
      const { summary, trials } = study(name);
      assert.deepEqual([summary.experiment, summary.direction, trials.length], ["honest-nested", "maximize", 8], name);
    }
    for (const { summary, trials } of studies.values()) {
      assert.ok(
        trials.every((t) => t.state === "COMPLETE"),
        summary.name,
      );
    }
  });

  check("locks 114 test rows away before anything else, and looks at them exactly once", () => {
    assert.match(text(outputsOf("lockbox(cancer")), /^455 rows to tune on; locked test set: 114 rows, use study\.evaluateTest/);
    const { summary, trials } = study(FINAL);
    const record = lockboxRecord(summary.systemAttrs);
    assert.ok(record, "the lockbox record in the study");
    assert.equal(record.testRows, 114);
    assert.equal(record.looks.length, 1, "the test set was used once");
    const [look] = record.looks;
    const best = trials.find((t) => t.number === summary.bestTrialNumber)!;
    assert.deepEqual([look.trialNumber, look.validation], [best.number, best.value], "the best trial was scored");
    assert.ok(look.test !== null && look.error === undefined, "the look gave a score");

    const table = text(outputsOf("final.evaluateTest("));
    assert.match(table, new RegExp(`^best trial's 5-fold validation score \\(trial ${best.number}\\)\\s+${printed(best.value!)}$`, "m"));
    assert.match(table, new RegExp(`^locked test set \\(114 rows, first look\\)\\s+${printed(look.test!)}$`, "m"));
    const gap = best.value! - look.test!;
    assert.match(table, new RegExp(`validation ${gap >= 0 ? "above" : "below"} test by ${Math.abs(gap).toFixed(4)}`));

    const shown = outputsOf("await show(final)");
    assert.match(text(shown), /^test set\s+used 1 time \(114 rows; last: test /m);
    const lockboxChart = charts(shown).find((o) => o.text!.startsWith("<Vega-Lite chart: Validation against test — honest-final>"));
    assert.ok(lockboxChart, `the lockbox chart in ${titles(shown).join(", ")}`);
    assert.match(lockboxChart.text!, /Test set of 114 rows, used 1 time\./);
  });

  check("draws the validation and learning curves with their regions, and keeps them with the final study", () => {
    const attrs = study(FINAL).summary.userAttrs;
    for (const [marker, attr, title] of [
      ["const knnCurve", "curve:k", "Validation curve of k"],
      ["const depthCurve", "curve:maxDepth", "Validation curve of maxDepth"],
      ["const nbCurve", "curve:learning", "Learning curve"],
    ]) {
      const [chart] = charts(outputsOf(marker));
      assert.ok(chart?.mimes?.includes(SVG), `${title}: Vega-Lite with an SVG`);
      assert.equal(chart.text!.split("\n")[0], `<Vega-Lite chart: ${title}>`);
      const stored = attrs[attr];
      assert.ok(isCurveResult(stored), `${attr} kept with the study`);
      assert.equal(chart.text!.split("\n")[1], curveSummary(curveData(stored)), `${title}: the summary of the stored curve`);
    }
    const knn = charts(outputsOf("const knnCurve"))[0].text!;
    assert.match(knn, /Overfitting at k = 1\b/, "k = 1 memorises");
    assert.match(knn, /Underfitting at k = [\d, ]*233\b/, "233 neighbours blur the classes");
    const recorded = charts(outputsOf("await show(final)")).find((o) =>
      o.text!.startsWith("<Vega-Lite chart: Validation and learning curves"),
    );
    assert.ok(recorded?.mimes?.includes(SVG), "show(final) draws the recorded curves");
  });

  check("records training scores with each trial and draws the train/validation gap", () => {
    const { trials } = study(GAP);
    assert.equal(trials.length, 12);
    for (const trial of trials) {
      const [train, validation] = [trial.userAttrs.fold_scores_train, trial.userAttrs.fold_scores] as number[][];
      assert.deepEqual([train?.length, validation?.length], [5, 5], `trial ${trial.number}: five folds of each`);
    }
    assert.match(text(outputsOf(`%%tune study=${GAP} `)), new RegExp(`^Study ${GAP}: 12/12 trials`), "the progress line");
    const shown = outputsOf(`await show(studies["${GAP}"])`);
    const gap = charts(shown).find((o) => o.text === `<Vega-Lite chart: Training against validation score — ${GAP}>`);
    assert.ok(gap?.mimes?.includes(SVG), `the gap chart in ${titles(shown).join(", ")}`);
  });

  check("prints each nested estimate as the mean of the outer scores in storage, beside the optimistic inner best", () => {
    assert.deepEqual(runs.map((r) => r.run).sort(), ALGORITHMS.map((a) => `nested-${a}`).sort());
    const table = text(outputsOf("what tuning reported"));
    for (const run of runs) {
      assert.ok(run.complete && run.outerScores.length === 5, `${run.run}: five outer folds`);
      const reported = run.folds.reduce((sum, f) => sum + f.innerBest, 0) / run.folds.length;
      const row = new RegExp(`^${run.run}\\s+${printed(reported)}\\s+${printed(run.mean)}\\s+${printed(run.std)}\\s`, "m");
      assert.match(table, row, `${run.run}: what tuning reported, the nested estimate and its spread`);
    }
    const winner = runs.reduce((a, b) => (b.mean > a.mean ? b : a));
    assert.match(
      text(outputsOf("has the best nested estimate")),
      new RegExp(`^${winner.run.replace("nested-", "")} has the best nested estimate`, "m"),
    );
    const tests = text(outputsOf("compareNested("));
    for (const other of runs.filter((r) => r !== winner)) {
      assert.match(tests, new RegExp(`^${winner.run} ${printed(winner.mean)} ± ${printed(winner.std)} vs ${other.run} `, "m"), other.run);
    }
    assert.equal(tests.match(/corrected resampled t-test/g)?.length, 2, "two paired comparisons");
    assert.equal(tests.match(/Wilcoxon signed-rank/g)?.length, 2);
    const perFold = charts(outputsOf("nestedCrossValidate(search"));
    assert.ok(
      perFold.some((o) => o.mimes!.includes(SVG) && o.text!.includes("nested-knn")),
      "the k-NN run's outer scores per fold",
    );
  });

  check("stops the final tuning once converged, before its budget, and draws the convergence", () => {
    const { summary, trials } = study(FINAL);
    const line = text(outputsOf("stop=converged")).split("\n")[0];
    const progress = new RegExp(
      `^Study ${FINAL}: (\\d+)/${BUDGET} trials .* because converged: regret bound \\S+ < error \\S+ after (\\d+) trials`,
    ).exec(line);
    assert.ok(progress, `the progress line says why it stopped: ${line}`);
    assert.equal(Number(progress[1]), trials.length);
    assert.ok(trials.length < BUDGET, `stopped after ${trials.length} of ${BUDGET} trials`);
    assert.match(String(summary.systemAttrs[STOP_REASON_ATTR]), /^converged: /);
    const records = summary.systemAttrs[CONVERGENCE_ATTR] as unknown as ConvergenceRecord[];
    const last = records.at(-1)!;
    assert.ok(last.regretBound! < last.error!, "the last check found the bound below the error");
    assert.equal(last.trial, Math.max(...trials.map((t) => t.number)));
    for (const marker of ["convergenceSpec(", "await show(final)"]) {
      const drawn = charts(outputsOf(marker)).find((o) => o.text === `<Vega-Lite chart: Convergence — ${FINAL}>`);
      assert.ok(drawn?.mimes?.includes(SVG), `the convergence chart (${marker})`);
    }
  });
});
