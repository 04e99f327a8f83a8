import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { bundlesFor, isRichValue } from "../../kernel/display/show.js";
import { formatValue } from "../../kernel/display/table.js";
import { VEGA_LITE_MIME } from "../../kernel/display/vega.js";
import { compareNested } from "../../select/compare-nested.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import { buildNestedFixture, type NestedFixture } from "../tracker/server/nested-fixture.js";

let fx: NestedFixture;
before(async () => {
  fx = await buildNestedFixture(new InMemoryStorage());
});

describe("show(nestedCrossValidate(...))", () => {
  it("draws the outer scores per fold and tables the chosen parameters with their stability", async () => {
    const result = fx.nb;
    assert.equal(isRichValue(result), true);
    const [chart, table, ...more] = await bundlesFor(result);
    assert.deepEqual(more, []);
    const spec = chart[VEGA_LITE_MIME] as { title: string; data: { values: { run: string; foldNumber: number; score: number }[] } };
    assert.equal(spec.title, "Outer scores per fold — nb");
    assert.deepEqual(
      spec.data.values.map((r) => [r.run, r.foldNumber, r.score]),
      result.outerScores.map((s, i) => ["nb", i + 1, s]),
    );
    const svg = chart["image/svg+xml"] as string;
    for (const text of ["Outer fold", "accuracy on the outer test rows", "nb"]) assert.ok(svg.includes(`>${text}<`), text);

    const text = table["text/plain"];
    const lines = text.split("\n");
    assert.equal(
      lines[0],
      `nb: accuracy ${formatValue(result.mean)} ± ${formatValue(result.std)} over 5 outer folds (outer StratifiedKFold(nSplits=5), inner StratifiedKFold(nSplits=3))`,
    );
    assert.match(lines[1], /^outer fold\s+inner study\s+trial\s+varSmoothing\s+inner score\s+outer score$/);
    for (const [i, c] of result.chosen.entries()) {
      const cells = lines[3 + i].trim().split(/\s{2,}/);
      assert.deepEqual(cells, [
        String(i + 1),
        c.study,
        String(c.trialNumber),
        formatValue(c.params.varSmoothing as number),
        formatValue(c.innerBest),
        formatValue(c.outerScore),
      ]);
    }
    const stability = result.stability.params.varSmoothing;
    assert.equal(stability.kind, "float");
    assert.ok(stability.kind === "float" && stability.log);
    assert.match(
      lines[3 + result.chosen.length],
      new RegExp(
        `^stability\\s+same configuration in ${Math.round(result.stability.agreement * 5)} of 5\\s+around ${formatValue(stability.center).replace(".", "\\.")}, spread ${formatValue(stability.spread).replace(".", "\\.")} decades$`,
      ),
    );
    assert.match(table["text/html"] as string, /<p class="tunebook-caption"[^>]*>nb: accuracy/);
  });

  it("gives a discrete parameter its most chosen value and how many folds chose it", async () => {
    const [, table] = await bundlesFor(fx.tree);
    const last = table["text/plain"].split("\n").at(-1)!;
    const { criterion, maxDepth } = fx.tree.stability.params;
    assert.ok(criterion.kind !== "float" && maxDepth.kind !== "float");
    assert.ok(last.includes(`${criterion.mode} in ${Math.round(criterion.agreement * 5)} of 5`), last);
    assert.ok(last.includes(`${maxDepth.mode} in ${Math.round(maxDepth.agreement * 5)} of 5`), last);
  });
});

describe("show(compareNested(a, b))", () => {
  it("tables both paired tests with their verdicts", async () => {
    const comparison = compareNested(fx.knn, fx.nb, { alpha: 0.4 });
    assert.equal(isRichValue(comparison), true);
    const [table, ...more] = await bundlesFor(comparison);
    assert.deepEqual(more, []);
    const lines = table["text/plain"].split("\n");
    const better = comparison.better === "a" ? "knn has the better mean" : comparison.better === "b" ? "nb has the better mean" : "tie";
    assert.ok(
      lines[0].startsWith(`knn ${formatValue(fx.knn.mean)} ± ${formatValue(fx.knn.std)} vs nb ${formatValue(fx.nb.mean)}`),
      lines[0],
    );
    assert.ok(lines[0].includes(`mean difference ${formatValue(comparison.meanDifference)}`) && lines[0].includes(better), lines[0]);
    assert.match(lines[1], /significant at 0\.4$/);
    const yes = (s: boolean) => (s ? "yes" : "no");
    assert.deepEqual(lines[3].split(/\s{2,}/), [
      "corrected resampled t-test",
      formatValue(comparison.tTest.t),
      "4",
      formatValue(comparison.tTest.pValue),
      yes(comparison.significant.tTest),
    ]);
    assert.deepEqual(lines[4].split(/\s{2,}/), [
      "Wilcoxon signed-rank (exact)",
      formatValue(comparison.wilcoxon.statistic),
      formatValue(comparison.wilcoxon.pValue),
      yes(comparison.significant.wilcoxon),
    ]);
  });

  it("leaves look-alike objects to print as objects", async () => {
    assert.equal(isRichValue({ outerScores: [1], chosen: [] }), false);
    assert.equal(isRichValue({ a: { outerScores: [] }, b: {} }), false);
  });
});
