import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { pairedDifferences, wilcoxonSignedRank } from "../../../core/math/wilcoxon.js";
import { close, scipy } from "./scipy.js";

const byName = (name: string) => scipy.wilcoxon.find((c) => c.name === name)!;

test("Wilcoxon normal approximation matches scipy for every zero method, alternative and correction", () => {
  let checked = 0;
  for (const c of scipy.wilcoxon) {
    for (const r of c.approx) {
      const ours = wilcoxonSignedRank(c.a, c.b, {
        zeroMethod: r.zeroMethod,
        alternative: r.alternative,
        correction: r.correction,
        method: "approx",
      });
      const what = `${c.name} ${r.zeroMethod} ${r.alternative} correction=${r.correction}`;
      assert.equal(ours.method, "approx");
      close(ours.statistic, r.statistic, `${what} statistic`, 1e-12);
      close(ours.pValue, r.pValue, `${what} p`, 1e-12);
      checked++;
    }
  }
  assert.ok(checked >= 100, `checked ${checked}`);
});

test("Wilcoxon exact p-values match scipy without ties or zeros", () => {
  let checked = 0;
  for (const c of scipy.wilcoxon) {
    for (const r of c.exact) {
      const ours = wilcoxonSignedRank(c.a, c.b, { alternative: r.alternative });
      assert.equal(ours.method, "exact", `${c.name}: auto picks exact for n=${c.a.length}`);
      assert.equal(ours.ties, false);
      close(ours.statistic, r.statistic, `${c.name} ${r.alternative} statistic`, 1e-12);
      close(ours.pValue, r.pValue, `${c.name} ${r.alternative} p`, 1e-12);
      checked++;
    }
  }
  assert.ok(checked >= 6, `checked ${checked}`);
});

test("Wilcoxon exact p-values with ties and zeros match enumeration of all sign vectors", () => {
  let checked = 0;
  for (const c of scipy.wilcoxon) {
    for (const r of c.enumerated) {
      for (const alternative of ["two-sided", "greater", "less"] as const) {
        const ours = wilcoxonSignedRank(c.a, c.b, { zeroMethod: r.zeroMethod, alternative, method: "exact" });
        close(ours.rPlus, r.rPlus, `${c.name} ${r.zeroMethod} r+`, 1e-12);
        close(ours.pValue, r[alternative], `${c.name} ${r.zeroMethod} ${alternative} p`, 1e-12);
        checked++;
      }
    }
  }
  assert.ok(checked >= 18, `checked ${checked}`);
  // the test cases do contain ties and zeros
  const tied = byName("ten-folds-ties");
  assert.equal(wilcoxonSignedRank(tied.a, tied.b).ties, true);
  const zeros = byName("with-zeros");
  assert.ok(wilcoxonSignedRank(zeros.a, zeros.b).zeros > 0, "has zeros");
});

test("Wilcoxon: auto switches to the normal approximation above the exact limit", () => {
  const big = byName("sixty-normal");
  assert.equal(wilcoxonSignedRank(big.a, big.b).method, "approx");
  assert.equal(wilcoxonSignedRank(big.a, big.b, { exactLimit: 100 }).method, "exact");
  // one-sample form: differences against 0
  const d = big.a.map((v, i) => v - big.b[i]);
  assert.deepEqual(wilcoxonSignedRank(d), wilcoxonSignedRank(big.a, big.b));
});

test("Wilcoxon edge cases: identical samples, bad input", () => {
  const same = wilcoxonSignedRank([1, 2, 3], [1, 2, 3]);
  assert.equal(same.pValue, 1);
  assert.equal(same.n, 0);
  assert.throws(
    () => wilcoxonSignedRank([1, 2], [1]),
    (e: unknown) => e instanceof ValueError && /same length/.test(e.message),
  );
  assert.throws(
    () => wilcoxonSignedRank([1, NaN]),
    (e: unknown) => e instanceof ValueError && /pair 1/.test(e.message),
  );
  assert.throws(() => wilcoxonSignedRank([1, 2], undefined, { alternative: "bigger" as never }), ValueError);
  assert.throws(
    () => wilcoxonSignedRank([1, 2], undefined, { zero: "pratt" } as never),
    (e: unknown) => e instanceof ValueError && /zeroMethod/.test(e.message),
  );
});

test("pairedDifferences subtracts pairs and names the caller in its errors", () => {
  assert.deepEqual(pairedDifferences("here", [3, 5], [1, 1]), [2, 4]);
  assert.deepEqual(pairedDifferences("here", [3, 5]), [3, 5]);
  assert.throws(() => pairedDifferences("here", [1], [1, 2]), /here: paired samples need the same length/);
  assert.throws(() => pairedDifferences("here", "1, 2" as never), /here: expected an array/);
});
