import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import {
  type Alternative,
  compareAlgorithms,
  correctedTTest,
  foldScores,
  normalSf,
  rankData,
  studentTCdf,
  studentTSf,
  summarizeScores,
  wilcoxonSignedRank,
} from "../../../tracker/analysis/compare.js";
import { trial } from "./importance-cases.js";

/** Reference values from scipy 1.10; see the generator script's docstring for how. */
const fixture = JSON.parse(readFileSync(new URL("./fixtures/scipy-stats.json", import.meta.url), "utf8")) as {
  tTails: { t: number; df: number; sf: number; cdf: number }[];
  normalTails: { z: number; sf: number }[];
  wilcoxon: {
    name: string;
    a: number[];
    b: number[];
    approx: {
      zeroMethod: "wilcox" | "pratt" | "zsplit";
      alternative: Alternative;
      correction: boolean;
      statistic: number;
      pValue: number;
    }[];
    exact: { alternative: Alternative; statistic: number; pValue: number }[];
    enumerated: { zeroMethod: "wilcox" | "pratt" | "zsplit"; rPlus: number; less: number; greater: number; "two-sided": number }[];
  }[];
  tTests: { name: string; testTrainRatio: number; t: number; df: number; "two-sided": number; greater: number; less: number }[];
};

function close(actual: number, expected: number, rel: number, what: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300);
  assert.ok(ok, `${what}: got ${actual}, scipy ${expected} (relative error ${Math.abs(actual - expected) / Math.abs(expected)})`);
}

test("Student t and normal tails match scipy", () => {
  assert.ok(fixture.tTails.length >= 10, "fixture has t tails");
  for (const { t, df, sf, cdf } of fixture.tTails) {
    close(studentTSf(t, df), sf, 1e-11, `t.sf(${t}, ${df})`);
    close(studentTCdf(t, df), cdf, 1e-11, `t.cdf(${t}, ${df})`);
  }
  for (const { z, sf } of fixture.normalTails) close(normalSf(z), sf, 1e-12, `norm.sf(${z})`);
  assert.equal(studentTSf(Infinity, 3), 0);
  assert.equal(studentTSf(2, Infinity), normalSf(2));
  assert.ok(Number.isNaN(studentTSf(1, 0)), "df 0 is NaN");
});

test("Wilcoxon normal approximation matches scipy for every zero method, alternative and correction", () => {
  let checked = 0;
  for (const c of fixture.wilcoxon) {
    for (const r of c.approx) {
      const ours = wilcoxonSignedRank(c.a, c.b, {
        zeroMethod: r.zeroMethod,
        alternative: r.alternative,
        correction: r.correction,
        method: "approx",
      });
      const what = `${c.name} ${r.zeroMethod} ${r.alternative} correction=${r.correction}`;
      assert.equal(ours.method, "approx");
      close(ours.statistic, r.statistic, 1e-12, `${what} statistic`);
      close(ours.pValue, r.pValue, 1e-9, `${what} p`);
      checked++;
    }
  }
  assert.ok(checked >= 100, `checked ${checked}`);
});

test("Wilcoxon exact p-values match scipy without ties or zeros", () => {
  let checked = 0;
  for (const c of fixture.wilcoxon) {
    for (const r of c.exact) {
      const ours = wilcoxonSignedRank(c.a, c.b, { alternative: r.alternative });
      assert.equal(ours.method, "exact", `${c.name}: auto picks exact for n=${c.a.length}`);
      assert.equal(ours.ties, false);
      close(ours.statistic, r.statistic, 1e-12, `${c.name} ${r.alternative} statistic`);
      close(ours.pValue, r.pValue, 1e-12, `${c.name} ${r.alternative} p`);
      checked++;
    }
  }
  assert.ok(checked >= 6, `checked ${checked}`);
});

test("Wilcoxon exact p-values with ties and zeros match enumeration of all sign vectors", () => {
  let checked = 0;
  for (const c of fixture.wilcoxon) {
    for (const r of c.enumerated) {
      for (const alternative of ["two-sided", "greater", "less"] as const) {
        const ours = wilcoxonSignedRank(c.a, c.b, { zeroMethod: r.zeroMethod, alternative, method: "exact" });
        close(ours.rPlus, r.rPlus, 1e-12, `${c.name} ${r.zeroMethod} r+`);
        close(ours.pValue, r[alternative], 1e-12, `${c.name} ${r.zeroMethod} ${alternative} p`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 18, `checked ${checked}`);
  // the test cases do contain ties and zeros
  const tied = fixture.wilcoxon.find((c) => c.name === "ten-folds-ties")!;
  assert.equal(wilcoxonSignedRank(tied.a, tied.b).ties, true);
  const zeros = fixture.wilcoxon.find((c) => c.name === "with-zeros")!;
  assert.ok(wilcoxonSignedRank(zeros.a, zeros.b).zeros > 0, "has zeros");
});

test("Wilcoxon: auto switches to the normal approximation above the exact limit", () => {
  const big = fixture.wilcoxon.find((c) => c.name === "sixty-normal")!;
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

test("rankData averages ties", () => {
  assert.deepEqual(rankData([3, 1, 4, 1, 5]), [3, 1.5, 4, 1.5, 5]);
  assert.deepEqual(rankData([]), []);
});

test("corrected resampled t-test matches the formula evaluated with scipy", () => {
  assert.ok(fixture.tTests.length >= 15, "fixture has t-tests");
  for (const r of fixture.tTests) {
    const c = fixture.wilcoxon.find((w) => w.name === r.name)!;
    for (const alternative of ["two-sided", "greater", "less"] as const) {
      const ours = correctedTTest(c.a, c.b, { testTrainRatio: r.testTrainRatio, alternative });
      close(ours.t, r.t, 1e-12, `${r.name} ratio ${r.testTrainRatio} t`);
      assert.equal(ours.df, r.df);
      close(ours.pValue, r[alternative], 1e-10, `${r.name} ratio ${r.testTrainRatio} ${alternative} p`);
    }
  }
  // the default ratio is 1 / (k - 1) for k scores; nTrain / nTest set it too
  const c = fixture.wilcoxon[0];
  assert.equal(correctedTTest(c.a, c.b).testTrainRatio, 1 / (c.a.length - 1));
  assert.equal(correctedTTest(c.a, c.b, { nTrain: 400, nTest: 100 }).testTrainRatio, 0.25);
  // the correction widens the interval: p grows with the ratio
  assert.ok(
    correctedTTest(c.a, c.b, { testTrainRatio: 0.25 }).pValue > correctedTTest(c.a, c.b, { testTrainRatio: 0 }).pValue,
    "correction is conservative",
  );
});

test("corrected t-test edge cases", () => {
  assert.equal(correctedTTest([1, 2, 3], [1, 2, 3]).pValue, 1);
  const shifted = correctedTTest([2, 3, 4], [1, 2, 3]);
  assert.equal(shifted.t, Infinity);
  assert.equal(shifted.pValue, 0);
  assert.throws(
    () => correctedTTest([1], [2]),
    (e: unknown) => e instanceof ValueError && /at least 2/.test(e.message),
  );
  assert.throws(() => correctedTTest([1, 2], [2, 3], { testTrainRatio: -1 }), ValueError);
  assert.throws(
    () => correctedTTest([1, 2], [2, 3], { testTrainRatio: 0.2, nTrain: 4, nTest: 1 }),
    (e: unknown) => e instanceof ValueError && /not both/.test(e.message),
  );
  assert.throws(() => correctedTTest([1, 2], [2, 3], { nTrain: 4 }), ValueError);
});

test("summaries and the two-algorithm comparison", () => {
  const s = summarizeScores([1, 2, 3, 4]);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-15, `std ${s.std}`);
  assert.deepEqual([s.min, s.max, s.n], [1, 4, 4]);
  assert.equal(summarizeScores([7]).std, 0);
  assert.throws(() => summarizeScores([]), ValueError);

  const c = fixture.wilcoxon.find((w) => w.name === "all-better")!;
  const cmp = compareAlgorithms({ name: "rf", scores: c.a }, { name: "knn", scores: c.b });
  assert.equal(cmp.better, "rf");
  assert.equal(cmp.tTest.pValue, correctedTTest(c.a, c.b).pValue);
  assert.equal(cmp.wilcoxon.pValue, wilcoxonSignedRank(c.a, c.b).pValue);
  assert.equal(cmp.significant.wilcoxon, cmp.wilcoxon.pValue < 0.05);
  assert.equal(cmp.a.mean, summarizeScores(c.a).mean);
  // for a loss, lower is better
  assert.equal(compareAlgorithms({ name: "rf", scores: c.a }, { name: "knn", scores: c.b }, { direction: "minimize" }).better, "knn");
  assert.equal(compareAlgorithms({ name: "x", scores: [1, 2] }, { name: "y", scores: [2, 1] }).better, null);
  assert.throws(() => compareAlgorithms({ name: "x", scores: [1, 2] }, { name: "y", scores: [2, 1] }, { alpha: 5 }), ValueError);
});

test("fold scores are read from the trial's user attributes", () => {
  const t = trial(0, {}, {}, 0.9);
  assert.equal(foldScores(t), null);
  assert.deepEqual(foldScores({ ...t, userAttrs: { fold_scores: [0.9, 0.8] } }), [0.9, 0.8]);
  assert.equal(foldScores({ ...t, userAttrs: { fold_scores: [0.9, "x"] } }), null);
});
