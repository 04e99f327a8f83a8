/**
 * notebooks/accuracy-vs-size.ipynb executed top to bottom by the real Jupyter client
 * (nbclient, as notebooks.test.ts runs the tour), on a tiny budget: its parameters cell
 * (tagged "parameters", as papermill marks it) is replaced before the run.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isFeasible } from "../../core/feasibility.js";
import type { TrialRecord } from "../../core/records.js";
import { openStorage } from "../../tracker/storage/open.js";
import { resolveSampler } from "../../tune/samplers/registry.js";
import { ensureBuilt, installKernelToTemp, requireJupyter, root } from "../kernel/harness.js";
import { assertCurrent } from "./currency.js";
import { executeNotebook, type Output } from "./run-notebook.js";

const NOTEBOOK = "accuracy-vs-size.ipynb";
const workdir = mkdtempSync(join(tmpdir(), "tunebook-accuracy-vs-size-"));
let prefix = "";

/** The notebook is written for the default sampler; until it serves several objectives, random stands in. */
const sampler = resolveSampler("default").multiObjective ? "default" : "random";
/** Generous, so that a busy machine still has forests within the limit. */
const LIMIT_MS = 50;
const PARAMETERS = [
  "const forestTrials = 6;",
  "const mlpTrials = 2;",
  "const mlpEpochs = 4;",
  `const predictLimitMs = ${LIMIT_MS};`,
  `const samplerName: SamplerName = "${sampler}";`,
];

/** The notebook with its parameters cell replaced; fails if there is not exactly one. */
function withTinyBudget(text: string): string {
  const notebook = JSON.parse(text) as { cells: { cell_type: string; metadata: { tags?: string[] }; source: string[] | string }[] };
  const cells = notebook.cells.filter((c) => c.metadata.tags?.includes("parameters"));
  assert.equal(cells.length, 1, "one cell tagged parameters");
  cells[0].source = PARAMETERS.join("\n");
  return JSON.stringify(notebook);
}

/** Feasible COMPLETE trials that no other one beats on both objectives (accuracy up, size down). */
function front(trials: TrialRecord[]): TrialRecord[] {
  const ok = trials.filter((t) => t.state === "COMPLETE" && isFeasible(t));
  const beats = (a: number[], b: number[]) => a[0] >= b[0] && a[1] <= b[1] && (a[0] > b[0] || a[1] < b[1]);
  return ok.filter((t) => !ok.some((o) => beats(o.values!, t.values!)));
}

describe("the accuracy-vs-size notebook under Jupyter", () => {
  before(() => ensureBuilt());
  after(() => {
    rmSync(workdir, { recursive: true, force: true });
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it("runs top to bottom, picks the smallest model within a point of the best and tests it", async (t) => {
    if (!requireJupyter(t)) return;
    const installed = installKernelToTemp();
    prefix = installed.prefix;
    const copy = join(workdir, NOTEBOOK);
    writeFileSync(copy, withTinyBudget(readFileSync(join(root, "notebooks", NOTEBOOK), "utf8")));
    const cells = executeNotebook(workdir, copy, installed.env);

    const outputsOf = (marker: string) => {
      const cell = cells.find((c) => c.source.includes(marker));
      assert.ok(cell, `a cell containing ${marker}`);
      return cell.outputs;
    };
    const text = (outputs: Output[]) => outputs.map((o) => o.text ?? "").join("\n");
    assert.match(outputsOf('study: "digits-forest-size"')[0].text!, /^Study digits-forest-size: 6\/6 trials/, "the progress line");
    assert.match(outputsOf('study: "digits-mlp-size"')[0].text!, /^Study digits-mlp-size: 2\/2 trials/, "the progress line");
    for (const cell of cells.filter((c) => c.source.startsWith("await show(")))
      assert.ok(cell.outputs.length > 0 && cell.outputs.every((o) => o.output_type === "display_data"), `${cell.source} draws the study`);

    const forestPick = /Picked trial (\d+): accuracy/.exec(text(outputsOf("smallestWithin(forestFront")));
    assert.ok(forestPick, "the forest's pick is printed");
    assert.match(text(outputsOf("forest.fit(")), new RegExp(`^Forest, trial ${forestPick[1]}: test accuracy 0\\.\\d+, \\d+ nodes`, "m"));
    const mlpPick = /^MLP, trial (\d+): test accuracy 0\.\d+, (\d+) parameters/m.exec(text(outputsOf("mlp.fit(")));
    assert.ok(mlpPick, "the MLP's pick is retrained and tested");

    const storage = openStorage(`sqlite:${join(workdir, "tunebook.db")}`, { readOnly: true, mustExist: true });
    try {
      for (const [name, trials, pick] of [
        ["digits-forest-size", 6, Number(forestPick[1])],
        ["digits-mlp-size", 2, Number(mlpPick[1])],
      ] as const) {
        const id = await storage.getStudyIdByName(name);
        const summary = await storage.getStudy(id);
        assert.deepEqual([summary.directions, summary.experiment], [["maximize", "minimize"], "digits-accuracy-vs-size"], name);
        const all = await storage.getAllTrials(id);
        assert.equal(all.filter((t) => t.state === "COMPLETE").length, trials, name);
        const best = front(all);
        const top = Math.max(...best.map((t) => t.values![0]));
        const within = best.filter((t) => t.values![0] >= top - 0.01);
        const picked = all.find((t) => t.number === pick)!;
        assert.ok(within.includes(picked), `${name}: trial ${pick} is on the front, within 0.01 of ${top}`);
        assert.equal(picked.values![1], Math.min(...within.map((t) => t.values![1])), `${name}: the smallest such`);
      }
      const forest = await storage.getAllTrials(await storage.getStudyIdByName("digits-forest-size"));
      for (const trial of forest)
        assert.equal(
          trial.systemAttrs["constraints:predict_ms"],
          (trial.userAttrs.predict_ms as number) - LIMIT_MS,
          "the constraint is ms − limit",
        );
    } finally {
      await storage.close();
    }
  });

  it("has the saved outputs in notebooks/ of what it computes now: the same outputs and charts (its budget is smaller here, and prediction times vary, so no numbers)", (t) => {
    const executed = join(workdir, "executed", NOTEBOOK);
    if (!existsSync(executed)) return t.skip("the notebook did not run (see above)");
    assertCurrent(NOTEBOOK, executed, { folders: [workdir], parametersReplaced: true });
  });
});
