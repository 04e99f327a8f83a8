import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataFrame } from "danfojs-node";
import { describeDistribution } from "../../core/records.js";
import { compareStudies } from "../../kernel/display/compare.js";
import { display, type MimeBundle, newDisplay, setPublisher } from "../../kernel/display/output.js";
import { bundlesFor, isRichValue, show } from "../../kernel/display/show.js";
import { formatValue, tableBundle } from "../../kernel/display/table.js";
import { isVegaLiteSpec, VEGA_LITE_MIME } from "../../kernel/display/vega.js";
import { crossValidate } from "../../learn/cross-validate.js";
import { learningCurve, validationCurve } from "../../learn/curves.js";
import { loadArrays } from "../../learn/datasets.js";
import { KNNClassifier } from "../../learn/models/knn.js";
import { lockbox } from "../../select/lockbox.js";
import { OBJECTIVE_NAMES_ATTR } from "../../tracker/analysis/objectives.js";
import { refineSearchSpace } from "../../tracker/analysis/refine.js";
import { studyChart } from "../../tracker/charts/study-charts.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import { createStudy } from "../../tune/create-study.js";

describe("tables", () => {
  it("formats numbers compactly and aligns the text form", () => {
    assert.equal(formatValue(0.123456789), "0.123457");
    assert.equal(formatValue(1234567.5), "1.2346e+6");
    assert.equal(formatValue(0.00001234), "1.2340e-5");
    assert.equal(formatValue(42), "42");
    assert.equal(formatValue(null), "");
    const bundle = tableBundle(
      ["name", "score"],
      [
        ["a", 1.5],
        ["long name", 10],
      ],
    );
    assert.equal(bundle["text/plain"], "name       score\n---------  -----\na            1.5\nlong name     10");
    assert.match(bundle["text/html"] as string, /<td style="text-align:right">1\.5<\/td>/);
  });

  it("escapes HTML in cells", () => {
    assert.match(tableBundle(["<b>"], [["a & <i>"]])["text/html"] as string, /<th[^>]*>&lt;b&gt;<\/th>.*<td[^>]*>a &amp; &lt;i&gt;<\/td>/s);
  });
});

describe("show", () => {
  it("shows a DataFrame's first rows with its index and shape", async () => {
    const frame = new DataFrame({
      alcohol: Array.from({ length: 12 }, (_, i) => 11 + i / 10),
      label: Array.from({ length: 12 }, (_, i) => `c${i % 3}`),
    });
    const [bundle] = await bundlesFor(frame);
    const lines = bundle["text/plain"].split("\n");
    assert.equal(lines[0].trim().split(/\s+/).join(" "), "alcohol label");
    assert.equal(lines.length, 2 + 10 + 1, "header, rule, ten rows, shape");
    assert.equal(lines[2].trim().split(/\s+/).join(" "), "0 11 c0");
    assert.equal(lines.at(-1), "12 rows × 2 columns (first 10 shown)");
    assert.match(bundle["text/html"] as string, /<table/);
    const [three] = await bundlesFor(frame, { rows: 3 });
    assert.match(three["text/plain"], /first 3 shown\)$/);
  });

  it("shows a Series as one column", async () => {
    const frame = new DataFrame({ a: [1, 2, 3] });
    const [bundle] = await bundlesFor(frame.column("a"));
    assert.match(bundle["text/plain"], /^\s+a\n- {2}-\n0 {2}1\n/);
    assert.match(bundle["text/plain"], /3 rows$/);
  });

  it("shows a list of trials as a table with one column per parameter", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), seed: 1 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + (t.number === 1 ? t.suggestInt("extra", 1, 3) : 0), { nTrials: 3 });
    const trials = await study.trials();
    const [bundle] = await bundlesFor(trials);
    const lines = bundle["text/plain"].split("\n");
    assert.equal(lines[0], "3 trials");
    assert.deepEqual(lines[1].trim().split(/\s+/), ["number", "state", "value", "seconds", "x", "extra"]);
    assert.ok(lines[3].includes(String(Number(trials[0].value!.toPrecision(6)))));
    const [reversed] = await bundlesFor([...trials].reverse());
    assert.deepEqual(
      reversed["text/plain"]
        .split("\n")
        .slice(3)
        .map((l) => Number(l.trim().split(/\s+/)[0])),
      [2, 1, 0],
      "in the order given",
    );
  });

  it("leaves a parameter's cell empty for trials without it, whatever the parameter is named", async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), seed: 1 });
    const names = ["constructor", "toString", "__proto__"];
    await study.optimize((t) => t.suggestFloat(names[t.number], 0, 1), { nTrials: 3 });
    const [bundle] = await bundlesFor(await study.trials());
    assert.doesNotMatch(bundle["text/plain"], /function|native code|\[object/);
    const cells = bundle["text/html"] as string;
    assert.doesNotMatch(cells, /function|native code/);
  });

  it("draws a Vega-Lite spec as spec + SVG + text in one bundle", async () => {
    const spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: "Scores",
      data: {
        values: [
          { x: 1, y: 2 },
          { x: 2, y: 5 },
        ],
      },
      mark: "line",
      encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
    };
    assert.equal(isVegaLiteSpec(spec), true);
    assert.equal(isVegaLiteSpec({ $schema: "https://vega.github.io/schema/vega/v5.json" }), false);
    assert.equal(isVegaLiteSpec([1]), false);
    const [bundle] = await bundlesFor(spec);
    assert.equal(bundle[VEGA_LITE_MIME], spec, "the spec passes through unchanged");
    assert.match(bundle["image/svg+xml"] as string, /^<svg[^>]*>.*Scores/s);
    assert.equal(bundle["text/plain"], "<Vega-Lite chart: Scores>");
  });

  it("shows a study's best trial, optimisation history and importance", async () => {
    const study = await createStudy({ name: "shown", storage: new InMemoryStorage(), direction: "maximize", seed: 2 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) * 10 + t.suggestFloat("y", 0, 1), { nTrials: 12 });
    const best = await study.best();
    const [summary, history, importance, ...rest] = await bundlesFor(study);
    assert.equal(rest.length, 0);
    assert.match(summary["text/plain"], /^Study shown \(maximize\): 12 trials — 12 complete/);
    assert.match(summary["text/plain"], new RegExp(`best trial\\s+${best.number}\\n`));
    const historySpec = history[VEGA_LITE_MIME] as { title: string; data: { values: { number: number; best: number }[] } };
    assert.equal(historySpec.title, "Optimization history — shown");
    assert.equal(Math.max(...historySpec.data.values.map((r) => r.best)), best.value);
    assert.match(history["image/svg+xml"] as string, /^<svg/);
    const importanceSpec = importance[VEGA_LITE_MIME] as { data: { values: { param: string; importance: number }[] } };
    const ranked = importanceSpec.data.values.map((r) => r.param);
    assert.deepEqual(ranked, ["x", "y"], "x moves the value ten times more than y");
  });

  it("shows how often a study's locked test set was used, and its validation against test", async () => {
    const storage = new InMemoryStorage();
    const study = await createStudy({ name: "locked", storage, direction: "maximize", seed: 2 });
    await lockbox(loadArrays("iris"), { study, testSize: 0.2, stratify: true, seed: 1 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 12 });
    await study.evaluateTest(() => 0.9);
    await study.evaluateTest(() => 0.875, { again: true });
    const best = await study.best();
    const [summary, , , lockboxChart, ...rest] = await bundlesFor(study);
    assert.equal(rest.length, 0);
    assert.match(
      summary["text/plain"],
      new RegExp(`test set\\s+used 2 times \\(30 rows; last: test 0\\.875 for trial ${best.number}, validation`),
    );
    assert.equal((lockboxChart[VEGA_LITE_MIME] as { title: string }).title, "Validation against test — locked");
    assert.match(lockboxChart["text/plain"], /Test set of 30 rows, used 2 times/);
    const [list] = await bundlesFor(await storage.listStudies());
    const lines = list["text/plain"].split("\n");
    assert.match(lines[1], /\stest set$/);
    assert.match(lines[3], /\sused 2 times$/);
  });

  it("draws a validation or learning curve, and a study's kept curves and training against validation scores", async () => {
    const { X, y } = loadArrays("iris");
    const knn = (k: number) => new KNNClassifier({ k });
    const study = await createStudy({ name: "curved", storage: new InMemoryStorage(), direction: "maximize", seed: 2 });
    const curve = await validationCurve(knn, X, y, { values: [1, 5, 25], param: "k", cv: 3, record: study });
    assert.equal(isRichValue(curve), true);
    const [bundle, ...more] = await bundlesFor(curve);
    assert.equal(more.length, 0);
    assert.equal((bundle[VEGA_LITE_MIME] as { title: string }).title, "Validation curve of k");
    for (const text of ["Training score", "Validation score", "Best validation score", "k", "accuracy (mean ± std over 3 folds)"])
      assert.ok((bundle["image/svg+xml"] as string).includes(`>${text}<`), text);
    assert.match(
      bundle["text/plain"],
      /^<Vega-Lite chart: Validation curve of k>\nBest validation accuracy [\d.]+ ± [\d.]+ at k = (1|5|25)\./,
    );
    const [learning] = await bundlesFor(await learningCurve(() => knn(5), X, y, { cv: 3, trainSizes: [0.3, 1] }));
    assert.equal((learning[VEGA_LITE_MIME] as { title: string }).title, "Learning curve");
    await study.optimize(
      async (t) => (await crossValidate(() => knn(t.suggestInt("k", 1, 15)), X, y, { cv: 3, returnTrainScore: true, trial: t })).mean,
      { nTrials: 4 },
    );
    const [, , , gap, kept, ...rest] = await bundlesFor(study);
    assert.equal(rest.length, 0);
    assert.equal((gap[VEGA_LITE_MIME] as { title: string }).title, "Training against validation score — curved");
    assert.equal((kept[VEGA_LITE_MIME] as { title: string }).title, "Validation curve of k — curved");
    assert.match(kept["text/plain"], /Validation curve of k: Best validation accuracy .* Shaded: overfitting/);
  });

  it("sends charts under the Vega-Lite mime type JupyterLab renders (v5), each spec declaring the v5 it is drawn with", async () => {
    // JupyterLab 4 and Notebook 7 (@jupyterlab/vega5-extension) render vegalite v3, v4 and v5 mime types with
    // vega-lite 5; a spec that declared v6 there would make vega-embed log a version warning.
    const study = await createStudy({ name: "versions", storage: new InMemoryStorage(), seed: 4 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestFloat("y", 0, 1) / 10, { nTrials: 8 });
    const [, history, importance] = await bundlesFor(study);
    const served = studyChart("history", await study.summary(), await study.trials()).spec;
    for (const bundle of [history, importance]) {
      assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
      assert.equal((bundle[VEGA_LITE_MIME] as { $schema: string }).$schema, "https://vega.github.io/schema/vega-lite/v5.json");
    }
    assert.equal(served.$schema, "https://vega.github.io/schema/vega-lite/v6.json", "the UI's spec declares the v6 it is drawn with");
    const asJson = (spec: unknown): unknown => JSON.parse(JSON.stringify(spec));
    assert.deepEqual(
      asJson({ ...(history[VEGA_LITE_MIME] as object), $schema: served.$schema }),
      asJson(served),
      "otherwise the same spec",
    );
    // A user's own v6 spec is drawn by the same vega-lite 5 there: labelled alike, otherwise untouched.
    const own = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", mark: "point", data: { values: [{ a: 1 }] } };
    assert.deepEqual((await bundlesFor(own))[0][VEGA_LITE_MIME], { ...own, $schema: "https://vega.github.io/schema/vega-lite/v5.json" });
    assert.equal(own.$schema, "https://vega.github.io/schema/vega-lite/v6.json", "the user's object is not changed");
  });

  it("says why a study with too few trials has no importance chart", async () => {
    const study = await createStudy({ name: "short", storage: new InMemoryStorage() });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
    const bundles = await bundlesFor(study);
    assert.equal(bundles.length, 3);
    assert.match(bundles[2]["text/plain"], /^No importance chart for short: .*at least 2 COMPLETE trials/);
    assert.equal(bundles[2][VEGA_LITE_MIME], undefined, "a line saying why, not an empty chart");
  });

  it("compares studies: table, paired tests between the two best, best-so-far and fold-score charts", async () => {
    const storage = new InMemoryStorage();
    const folds: Record<string, number[]> = {
      a: [0.9, 0.92, 0.91, 0.93, 0.9],
      b: [0.8, 0.82, 0.81, 0.85, 0.8],
      c: [0.5, 0.5, 0.6, 0.5, 0.55],
    };
    const studies = [];
    for (const name of ["c", "a", "b"]) {
      const study = await createStudy({ name, storage, direction: "maximize", seed: 1 });
      await study.optimize(
        (t) => {
          const scale = t.suggestFloat("scale", 0.5, 1);
          const scores = folds[name].map((s) => s * scale);
          t.setUserAttr("fold_scores", scores);
          return scores.reduce((x, y) => x + y, 0) / scores.length;
        },
        { nTrials: 3 },
      );
      studies.push(study);
    }
    const comparison = await compareStudies(studies);
    assert.deepEqual(
      comparison.studies.map((s) => s.name),
      ["c", "a", "b"],
    );
    assert.ok(comparison.test);
    assert.deepEqual([comparison.test.a.name, comparison.test.b.name], ["a", "b"], "the two with the best values");
    assert.equal(comparison.test.better, "a");
    const [table, verdict, curves, foldChart] = await bundlesFor(comparison);
    assert.match(table["text/plain"], /^3 studies \(maximize\)/);
    const shown =
      /^a vs b \(the two best\), on 5 folds: ([\d.]+) ± [\d.]+ vs ([\d.]+) ± [\d.]+\.\nCorrected resampled t-test: t = [\d.]+, p = (\S+); Wilcoxon signed-rank: p = (\S+)\.\n/.exec(
        verdict["text/plain"],
      );
    assert.ok(shown, verdict["text/plain"]);
    const close = (text: string, x: number) => assert.ok(Math.abs(Number(text) - x) <= 0.06 * Math.abs(x), `${text} vs ${x}`);
    close(shown[1], comparison.test.a.mean);
    close(shown[2], comparison.test.b.mean);
    close(shown[3], comparison.test.tTest.pValue);
    close(shown[4], comparison.test.wilcoxon.pValue);
    assert.equal((curves[VEGA_LITE_MIME] as { title: string }).title, "Best value so far");
    assert.equal((foldChart[VEGA_LITE_MIME] as { data: { values: unknown[] } }).data.values.length, 15);
    const viaArray = await bundlesFor(studies);
    assert.equal(viaArray[1]["text/plain"], verdict["text/plain"]);
  });

  it("lists studies and shows a narrowed search space with its code", async () => {
    const storage = new InMemoryStorage();
    const study = await createStudy({ name: "wide", storage, experiment: "exp", direction: "minimize", seed: 5 });
    await study.optimize((t) => (t.suggestFloat("x", 0, 10) - 2) ** 2 + (t.suggestCategorical("kind", ["a", "b"]) === "a" ? 0 : 1), {
      nTrials: 20,
    });
    const [list] = await bundlesFor(await storage.listStudies());
    const lines = list["text/plain"].split("\n");
    assert.equal(lines[0], "1 study");
    assert.deepEqual(lines[3].split(/\s{2,}/).slice(0, 4), ["exp", "wide", "minimize", "20"]);

    const refined = refineSearchSpace(await study.trials(), "minimize");
    const [bundle] = await bundlesFor(refined);
    assert.match(bundle["text/plain"], new RegExp(`^Search space narrowed to the ${refined.nTop} best of 20 complete trials`));
    const x = refined.params.find((p) => p.name === "x")!;
    assert.ok(bundle["text/plain"].includes(describeDistribution(x.refined)));
    assert.ok(bundle["text/plain"].endsWith(refined.code));
    assert.match(bundle["text/html"] as string, /<pre>/);
  });

  it("explains a comparison without fold scores, and refuses a single study", async () => {
    const storage = new InMemoryStorage();
    const one = await createStudy({ name: "one", storage });
    const two = await createStudy({ name: "two", storage });
    await one.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
    await two.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
    const comparison = await compareStudies({ one, two });
    assert.equal(comparison.test, null);
    assert.match(comparison.note!, /recorded no fold scores/);
    await assert.rejects(compareStudies([one]), /at least two studies, got one/);
  });

  it("prints text outside a kernel and publishes bundles inside one", async () => {
    const printed: string[] = [];
    const original = console.log;
    console.log = (text: string) => printed.push(text);
    try {
      await show({ a: 1 });
      display({ "text/plain": "plain", "text/html": "<b>rich</b>" });
      const handle = newDisplay();
      handle.update({ "text/plain": "step 1" });
      handle.update({ "text/plain": "step 2" }, { final: true });
    } finally {
      console.log = original;
    }
    assert.deepEqual(printed, ["{ a: 1 }", "plain", "step 2"]);

    const sent: { bundle: MimeBundle; displayId?: string; update: boolean }[] = [];
    setPublisher((bundle, { displayId, update }) => sent.push({ bundle, displayId, update }));
    try {
      display({ "text/plain": "plain" });
      const handle = newDisplay();
      handle.update({ "text/plain": "a" });
      handle.update({ "text/plain": "b" });
    } finally {
      setPublisher(null);
    }
    assert.deepEqual(
      sent.map((s) => [s.bundle["text/plain"], s.update]),
      [
        ["plain", false],
        ["a", false],
        ["b", true],
      ],
    );
    assert.equal(sent[0].displayId, undefined);
    assert.ok(sent[1].displayId && sent[1].displayId === sent[2].displayId);
  });
});

describe("show, studies with several objectives", () => {
  const two = async (storage: InMemoryStorage, name: string, seed: number, shift = 0) => {
    const study = await createStudy({
      name,
      storage,
      directions: ["maximize", "minimize"],
      sampler: "random",
      seed,
      constraints: (t) => [(t.params.c as number) - 0.8],
    });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat("x", 0, 1);
        t.suggestFloat("c", 0, 1);
        return [x + shift, (1 - x) ** 2 + t.suggestFloat("y", 0, 1) / 4];
      },
      { nTrials: 16 },
    );
    return study;
  };

  it("shows the Pareto front as a table, then the front, the hypervolume and the importance per objective", async () => {
    const storage = new InMemoryStorage();
    const study = await two(storage, "front", 1);
    await study.setUserAttr(OBJECTIVE_NAMES_ATTR, ["accuracy", "error"]);
    const [table, front, hypervolume, importance, ...rest] = await bundlesFor(study);
    assert.equal(rest.length, 0);
    const best = await study.bestTrials();
    assert.match(
      table["text/plain"],
      new RegExp(
        `^Study front \\(accuracy \\(maximize\\), error \\(minimize\\)\\): 16 trials — 16 complete\\. Pareto front: ${best.length} trials?; hypervolume `,
      ),
    );
    const lines = table["text/plain"].split("\n");
    assert.deepEqual(
      lines[1]
        .trim()
        .split(/\s{2,}/)
        .slice(0, 3),
      ["trial", "accuracy (maximize)", "error (minimize)"],
    );
    assert.deepEqual(
      lines.slice(3).map((l) => Number(l.trim().split(/\s+/)[0])),
      best.map((t) => t.number),
    );
    assert.equal((front[VEGA_LITE_MIME] as { title: string }).title, "Pareto front — front");
    assert.match(front["image/svg+xml"] as string, /On the Pareto front/);
    assert.match(
      hypervolume["text/plain"],
      /<Vega-Lite chart: Hypervolume history — front>\nHypervolume of the feasible Pareto front .*Reference point: accuracy/,
    );
    assert.match(importance["text/plain"], /<Vega-Lite chart: Hyperparameter importance per objective \(fANOVA\) — front>/);
  });

  it("shows trials with a column per objective, per constraint and feasible", async () => {
    const study = await two(new InMemoryStorage(), "table", 2);
    const [bundle] = await bundlesFor(await study.trials());
    const header = bundle["text/plain"].split("\n")[1].trim().split(/\s+/);
    assert.deepEqual(header.slice(0, 7), ["number", "state", "values_0", "values_1", "constraint", "constraints[0]", "feasible"]);
  });

  it("compares by hypervolume, pairing repeats over seeds", async () => {
    const storage = new InMemoryStorage();
    const studies = [];
    for (const [group, shift] of [
      ["wide", 0.3],
      ["narrow", 0],
    ] as const)
      for (let seed = 0; seed < 3; seed++) studies.push(await two(storage, `${group}-seed${seed}`, seed, shift));
    const comparison = await compareStudies(studies);
    assert.ok(comparison.multiObjective);
    assert.ok(comparison.test, comparison.note ?? "");
    assert.equal(comparison.test.better, "wide");
    const [table, verdict, curves] = await bundlesFor(comparison);
    assert.match(table["text/plain"], /^6 studies by hypervolume \(reference point Objective 0 \(maximize\) /);
    assert.match(verdict["text/plain"], /^wide: [\d.]+ ± [\d.]+ over seeds 0, 1, 2\nnarrow: /);
    assert.match(
      verdict["text/plain"],
      /wide vs narrow \(the two best\), on 3 seeds \(final hypervolumes\).*\nPaired t-test \(independent runs: no overlap correction\)/s,
    );
    assert.equal((curves[VEGA_LITE_MIME] as { title: string }).title, "Hypervolume so far");
  });
});
