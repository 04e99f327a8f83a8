/**
 * notebooks/clustering.ipynb executed top to bottom by the real Jupyter client
 * (nbclient, as notebooks.test.ts runs the tour), as it is written: its budgets are
 * already small. Its outputs are checked against the studies it stored.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { StudySummary, TrialRecord } from "../../core/records.js";
import { formatValue } from "../../kernel/display/table.js";
import { clusterQualityFromTrials } from "../../tracker/charts/cluster-quality.js";
import { openStorage } from "../../tracker/storage/open.js";
import { ensureBuilt, installKernelToTemp, requireJupyter, root } from "../kernel/harness.js";
import { assertCurrent } from "./currency.js";
import { type Cell, executeNotebook, type Output } from "./run-notebook.js";

const NOTEBOOK = "clustering.ipynb";
const VEGA_LITE = "application/vnd.vegalite.v5+json";
const SVG = "image/svg+xml";

const workdir = mkdtempSync(join(tmpdir(), "tunebook-clustering-"));
let prefix = "";
let cells: Cell[] = [];
const studies = new Map<string, { summary: StudySummary; trials: TrialRecord[] }>();

const outputsOf = (marker: string) => {
  const cell = cells.find((c) => c.source.includes(marker));
  assert.ok(cell, `a cell containing ${marker}`);
  return cell.outputs;
};
const text = (outputs: Output[]) => outputs.map((o) => o.text ?? "").join("\n");
const charts = (outputs: Output[]) => outputs.filter((o) => o.mimes?.includes(VEGA_LITE));
const study = (name: string) => {
  const found = studies.get(name);
  assert.ok(found, `the study ${name} in the tracker`);
  return found;
};

describe("the clustering notebook under Jupyter", () => {
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
      for (const summary of await storage.listStudies())
        studies.set(summary.name, { summary, trials: await storage.getAllTrials(summary.studyId) });
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

  check("stores five studies in two experiments, every trial complete", () => {
    const expected: Record<string, { experiment: string; trials: number }> = {
      kmeans: { experiment: "wine-clusters", trials: 12 },
      dbscan: { experiment: "wine-clusters", trials: 20 },
      agglomerative: { experiment: "wine-clusters", trials: 16 },
      "pca-classifier": { experiment: "wine-pca", trials: 10 },
      "pca-likelihood": { experiment: "wine-pca", trials: 10 },
    };
    assert.deepEqual([...studies.keys()].sort(), Object.keys(expected).sort());
    for (const [name, want] of Object.entries(expected)) {
      const { summary, trials } = study(name);
      assert.deepEqual([summary.experiment, summary.direction, trials.length], [want.experiment, "maximize", want.trials], name);
      assert.ok(
        trials.every((t) => t.state === "COMPLETE"),
        name,
      );
    }
  });

  check("scores each clustering by its silhouette times its stability, with the scores kept for the chart", () => {
    for (const name of ["kmeans", "dbscan", "agglomerative"]) {
      const scored = study(name).trials.filter((t) => t.userAttrs.cluster_scores !== undefined);
      assert.ok(scored.length > 0, `${name}: trials with clustering scores`);
      for (const trial of scored) {
        const scores = trial.userAttrs.cluster_scores as Record<string, number>;
        assert.ok((trial.userAttrs.n_clusters as number) >= 2, `${name} trial ${trial.number}: two clusters or more`);
        assert.ok(Math.abs(trial.value! - scores.silhouette * scores.stability) < 1e-12, `${name} trial ${trial.number}`);
      }
      // Without scores, the clustering had fewer than two clusters.
      for (const trial of study(name).trials.filter((t) => t.userAttrs.cluster_scores === undefined)) assert.equal(trial.value, 0);
    }
    for (const trial of study("kmeans").trials) {
      assert.equal(trial.userAttrs.n_clusters, trial.params.k);
      assert.equal(typeof (trial.userAttrs.cluster_scores as Record<string, number>).inertia, "number");
    }
    const noisy = study("dbscan").trials.filter((t) => (t.userAttrs.n_noise as number | undefined) !== undefined);
    assert.ok(
      noisy.some((t) => (t.userAttrs.n_noise as number) > 0),
      "DBSCAN left some rows as noise",
    );
  });

  check("draws the scree, the projections, the quality by k with its elbow, the comparison and the silhouette plot", () => {
    const drawn = cells.flatMap((c) => charts(c.outputs));
    assert.ok(drawn.length > 0 && drawn.every((o) => o.mimes!.includes(SVG)), "every chart has an SVG rendering");
    const titles = drawn.map((o) => o.text!.split("\n")[0]);
    for (const title of [
      "<Vega-Lite chart: Explained variance — wine, standardised>",
      "<Vega-Lite chart: Clusters in two dimensions — k-means, 4 clusters>",
      "<Vega-Lite chart: Clustering quality by number of clusters — kmeans>",
      "<Vega-Lite chart: Best value so far>",
      "<Vega-Lite chart: Optimization history — pca-likelihood>",
    ])
      assert.ok(titles.includes(title), `${title} in ${titles.join("\n")}`);
    for (const name of ["kmeans", "dbscan", "agglomerative"])
      assert.match(text(outputsOf(`%%tune study=${name} `)), new RegExp(`^Study ${name}: (\\d+)/\\1 trials`), "the progress line");

    const knee = clusterQualityFromTrials(study("kmeans").trials).knee;
    assert.ok(knee !== null, "the stored inertias have an elbow");
    const quality = charts(outputsOf('show(studies["kmeans"])')).find((o) => o.text!.includes("Clustering quality"));
    assert.match(quality!.text!, new RegExp(`Elbow of the inertia \\(Kneedle\\): ${knee} clusters\\.`));

    const chosen = /^Chosen: (\w+) \(([^)]*)\)/m.exec(text(outputsOf("const chosen =")));
    assert.ok(chosen, "the chosen clustering is printed");
    const best = ["kmeans", "agglomerative", "dbscan"].reduce((a, b) =>
      study(b).summary.bestValue! > study(a).summary.bestValue! ? b : a,
    );
    assert.equal(chosen[1], best, "the study with the best value");
    const silhouette = charts(outputsOf("const chosen ="));
    assert.equal(silhouette[0]?.text, `<Vega-Lite chart: Silhouette per cluster — ${chosen[1]}, ${chosen[2]}>`);
    assert.ok(titles.includes(`<Vega-Lite chart: Clusters in two dimensions — ${chosen[1]} against the cultivars>`));
  });

  check("compares the three algorithms and serves the tracker UI on them", () => {
    const comparison = text(outputsOf("compareStudies("));
    for (const name of ["kmeans", "agglomerative", "dbscan"])
      assert.match(comparison, new RegExp(`^${name}\\s+${formatValue(study(name).summary.bestValue).replace(".", "\\.")}\\s`, "m"), name);
    assert.match(text(outputsOf("startServer(")), /^Tracker UI: http:\/\/127\.0\.0\.1:\d+\/ .*status 200\)/);
  });

  check("prints the chosen clustering's agreement with the hidden cultivars, in a sane range", () => {
    const outputs = outputsOf("adjustedRand(hiddenCultivars, chosenLabels)");
    assert.match(text(outputs), /^Each algorithm's best clustering against the cultivars\n/);
    const line = /^(\w+): ARI (-?\d\.\d+), NMI (\d\.\d+)$/m.exec(text(outputs));
    assert.ok(line, "the ARI and NMI line");
    const [ari, nmi] = [Number(line[2]), Number(line[3])];
    assert.ok(ari > 0.5 && ari <= 1, `ARI ${ari}: well above chance (0), at most 1`);
    assert.ok(nmi > 0 && nmi <= 1, `NMI ${nmi}`);
  });

  check("tunes PCA's components with and without labels, and tables both choices", () => {
    const table = text(outputsOf("Minka's MLE"));
    for (const [criterion, name] of [
      ["5-fold accuracy of a logistic regression \\(labels\\)", "pca-classifier"],
      ["held-out log-likelihood \\(no labels\\)", "pca-likelihood"],
    ]) {
      const row = new RegExp(`^${criterion}\\s+(\\d+)\\s`, "m").exec(table);
      assert.ok(row, criterion);
      const { summary, trials } = study(name);
      assert.equal(Number(row[1]), trials.find((t) => t.number === summary.bestTrialNumber)!.params.nComponents, name);
    }
    for (const trial of study("pca-classifier").trials) assert.equal((trial.userAttrs.fold_scores as number[]).length, 5);
    for (const trial of study("pca-likelihood").trials) {
      const folds = trial.userAttrs.fold_scores as number[];
      assert.equal(folds.length, 5);
      assert.ok(Math.abs(trial.value! - folds.reduce((a, b) => a + b, 0) / 5) < 1e-9, "the value is the mean over the folds");
    }
    assert.match(table, /^Minka's MLE \(no labels, no held-out rows\)\s+\d+/m);
  });
});
