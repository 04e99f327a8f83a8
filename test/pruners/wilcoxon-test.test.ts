import { test } from "node:test";
import assert from "node:assert/strict";
import { ValueError } from "../../core/errors.js";
import { averageRanks, erfc, normalSf, wilcoxonSignedRank, type WilcoxonOptions } from "../../kernel/tune/pruners/wilcoxon-test.js";

/**
 * scipy 1.10.1's answers, computed with /usr/bin/python3:
 *   from scipy.stats import wilcoxon
 *   r = wilcoxon(d, alternative=..., zero_method=..., method=..., correction=...)
 *   (r.statistic, r.pvalue)
 * The n=60 sample is np.round(np.random.default_rng(7).normal(0.3, 1.0, 60), 6) and the
 * n=40 one np.round(np.random.default_rng(11).normal(0.4, 1.0, 40), 4).
 * scipy ≥ 1.15 answers small samples with zeros or ties by a permutation test; with
 * scipy 1.10 the same numbers come from
 *   stats.permutation_test((d,), r_plus, permutation_type="samples", alternative=...,
 *                          n_resamples=np.inf, vectorized=True).pvalue
 * where r_plus(d) is R+ as defined by the zero method (ranks of |d| by
 * stats.rankdata, zeros dropped for "wilcox", half their rank sum added for "zsplit").
 * Fixtures on those samples under the normal approximation ask scipy for method="approx".
 */
interface Fixture extends Required<WilcoxonOptions> {
  method: "auto" | "approx";
  title: string;
  d: number[];
  statistic: number;
  pValue: number;
}

const n60 = [
  0.30123, 0.598746, 0.025862, -0.590592, -0.154671, -0.691647, 0.360144, 1.640215, -0.192207, -0.320475, 0.789842, 0.656887, 0.405414,
  -0.630468, 0.270748, 0.995303, -1.044215, -0.157616, -1.601223, -0.989538, -1.541735, 0.064909, -0.967446, 0.571264, 0.456751, 0.113069,
  -2.21676, -0.238693, 0.251499, 0.413309, -1.230136, -0.177753, -0.678519, -0.508837, 1.360899, -0.507535, 0.267478, 1.18439, -0.2836,
  0.188298, 0.410464, 0.363782, -0.925056, 0.37614, 1.658823, -1.247145, 1.159383, 0.419354, -0.34147, 2.300417, 1.06226, -0.899289,
  0.374516, 0.87669, 0.111218, 0.98291, 0.233483, 0.967248, 1.738523, -0.375662,
];
const n40 = [
  0.4342, 1.7597, 1.6247, -0.1103, 0.102, -0.1274, 0.9697, 0.3439, 1.1469, -1.4473, 1.9665, 0.3036, 1.0804, 0.2634, 0.0209, 0.8631, 1.2245,
  0.1975, 0.2472, 1.0857, -0.4703, -1.1144, 0.795, -0.2706, -1.5203, -0.4141, -0.0676, -0.7932, -1.0925, 0.4366, 1.2972, 0.1669, -0.3436,
  0.785, 1.1172, 0.1, 0.9447, 1.4429, 0.193, -0.4135,
];
const eight = [0.9, -0.2, 1.6, 2.3, 0.45, -0.05, 1.1, 0.75];
const withZeros = [0.0, 0.4, -0.1, 0.7, 0.0, 1.2, 0.3, -0.6, 0.9, 0.25];
const withTies = [1, 2, 2, -3, 3, 3, 4, -1, 5, 2, 6];

const base = { zeroMethod: "wilcox", method: "auto", correction: false } as const;
const fixtures: Fixture[] = [
  { ...base, title: "exact, no ties", d: eight, alternative: "two-sided", statistic: 3, pValue: 0.0390625 },
  { ...base, title: "exact, no ties", d: eight, alternative: "greater", statistic: 33, pValue: 0.01953125 },
  { ...base, title: "exact, no ties", d: eight, alternative: "less", statistic: 33, pValue: 0.98828125 },
  { ...base, title: "exact, centre of the distribution", d: [1, -2, -3, 4], alternative: "two-sided", statistic: 5, pValue: 1 },
  { ...base, title: "exact n=3", d: [-0.3, -0.1, -0.2], alternative: "less", zeroMethod: "zsplit", statistic: 0, pValue: 0.125 },
  { ...base, title: "exact n=40", d: n40, alternative: "greater", statistic: 574, pValue: 0.01342636028311972 },
  { ...base, title: "exact n=40", d: n40, alternative: "two-sided", statistic: 246, pValue: 0.02685272056623944 },
  { ...base, title: "zeros split", d: withZeros, alternative: "greater", zeroMethod: "zsplit", method: "approx", statistic: 43.5, pValue: 0.05134700580432267 },
  { ...base, title: "zeros split, corrected", d: withZeros, alternative: "greater", zeroMethod: "zsplit", method: "approx", correction: true, statistic: 43.5, pValue: 0.056946655313681385 },
  { ...base, title: "zeros dropped", d: withZeros, alternative: "two-sided", method: "approx", statistic: 6, pValue: 0.09289194088370532 },
  { ...base, title: "zeros ranked (Pratt)", d: withZeros, alternative: "less", zeroMethod: "pratt", method: "approx", statistic: 42, pValue: 0.949659944636493 },
  { ...base, title: "zeros split, permutation", d: withZeros, alternative: "greater", zeroMethod: "zsplit", statistic: 43.5, pValue: 0.05859375 },
  { ...base, title: "zeros ranked (Pratt), permutation", d: withZeros, alternative: "two-sided", zeroMethod: "pratt", statistic: 10, pValue: 0.1171875 },
  { ...base, title: "ties, permutation", d: withTies, alternative: "greater", statistic: 57.5, pValue: 0.013671875 },
  { ...base, title: "ties, permutation", d: withTies, alternative: "two-sided", statistic: 8.5, pValue: 0.02734375 },
  { ...base, title: "two equal differences, permutation", d: [-0.05, -0.05], alternative: "less", zeroMethod: "zsplit", statistic: 0, pValue: 0.25 },
  { ...base, title: "four equal differences, permutation", d: [-0.05, -0.05, -0.05, -0.05], alternative: "less", zeroMethod: "zsplit", statistic: 0, pValue: 0.0625 },
  { ...base, title: "ties", d: withTies, alternative: "two-sided", method: "approx", statistic: 8.5, pValue: 0.028664724059091876 },
  { ...base, title: "ties", d: withTies, alternative: "greater", method: "approx", statistic: 57.5, pValue: 0.014332362029545938 },
  { ...base, title: "all zero, split", d: [0, 0, 0, 0], alternative: "greater", zeroMethod: "zsplit", method: "approx", statistic: 5, pValue: 0.5 },
  { ...base, title: "n=60 normal approximation", d: n60, alternative: "two-sided", statistic: 795, pValue: 0.3770243171062413 },
  { ...base, title: "n=60 normal approximation, corrected", d: n60, alternative: "two-sided", correction: true, statistic: 795, pValue: 0.3790155860994755 },
  { ...base, title: "n=60 normal approximation", d: n60, alternative: "less", statistic: 1035, pValue: 0.8114878414468794 },
  { ...base, title: "n=60 normal approximation, corrected", d: n60, alternative: "less", correction: true, statistic: 1035, pValue: 0.812480243807697 },
];

for (const f of fixtures) {
  test(`matches scipy: ${f.title}, ${f.alternative}, zeros ${f.zeroMethod}`, () => {
    const result = wilcoxonSignedRank(f.d, { alternative: f.alternative, zeroMethod: f.zeroMethod, method: f.method, correction: f.correction });
    assert.equal(result.statistic, f.statistic);
    assert.ok(Math.abs(result.pValue - f.pValue) <= 1e-12 * Math.max(1, f.pValue), `p ${result.pValue} vs scipy ${f.pValue}`);
  });
}

test("auto: exact without zeros or ties up to 50, sign patterns with them up to 13, else normal", () => {
  assert.equal(wilcoxonSignedRank(eight).method, "exact");
  assert.equal(wilcoxonSignedRank(n40).method, "exact");
  assert.equal(wilcoxonSignedRank(n60).method, "approx");
  assert.equal(wilcoxonSignedRank(withTies).method, "permutation");
  assert.equal(wilcoxonSignedRank(withZeros, { zeroMethod: "zsplit" }).method, "permutation");
  // Zeros rule out the exact distribution even when they are dropped, as in scipy.
  assert.equal(wilcoxonSignedRank(withZeros, { zeroMethod: "wilcox" }).method, "permutation");
  assert.equal(wilcoxonSignedRank(withZeros, { zeroMethod: "wilcox" }).n, 8);
  const tiedFourteen = [...withTies, 7, 8, 8];
  assert.equal(wilcoxonSignedRank(tiedFourteen).method, "approx");
});

test("without ties, sign-pattern enumeration and the exact distribution agree", () => {
  for (const alternative of ["greater", "less", "two-sided"] as const) {
    const exact = wilcoxonSignedRank(eight, { alternative, method: "exact" }).pValue;
    const enumerated = wilcoxonSignedRank(eight, { alternative, method: "permutation" }).pValue;
    assert.ok(Math.abs(exact - enumerated) < 1e-15, `${alternative}: ${exact} vs ${enumerated}`);
  }
});

test("exact p-values equal the share of the 2^n sign patterns at least as extreme", () => {
  const d = [0.5, -1.5, 2.5, 3.5, -4.5];
  const magnitudes = d.map(Math.abs);
  const observed = d.reduce((sum, v, i) => (v > 0 ? sum + averageRanks(magnitudes)[i] : sum), 0);
  let atLeast = 0;
  let atMost = 0;
  for (let mask = 0; mask < 32; mask++) {
    let rPlus = 0;
    for (let i = 0; i < 5; i++) if (mask & (1 << i)) rPlus += averageRanks(magnitudes)[i];
    if (rPlus >= observed) atLeast++;
    if (rPlus <= observed) atMost++;
  }
  assert.equal(wilcoxonSignedRank(d, { alternative: "greater" }).pValue, atLeast / 32);
  assert.equal(wilcoxonSignedRank(d, { alternative: "less" }).pValue, atMost / 32);
  assert.equal(wilcoxonSignedRank(d).pValue, Math.min(1, (2 * Math.min(atLeast, atMost)) / 32));
});

test("paired samples are tested through their differences", () => {
  const x = [3.1, 2.4, 5.6, 4.4, 3.9, 6.1];
  const y = [2.0, 2.9, 4.1, 3.0, 3.2, 4.0];
  assert.deepEqual(
    wilcoxonSignedRank(x, y, { alternative: "greater" }),
    wilcoxonSignedRank(
      x.map((v, i) => v - y[i]),
      { alternative: "greater" },
    ),
  );
  assert.throws(() => wilcoxonSignedRank([1, 2], [1]), ValueError);
});

test("the normal approximation comes close to the exact distribution at n = 40", () => {
  const exact = wilcoxonSignedRank(n40, { alternative: "greater" });
  const approx = wilcoxonSignedRank(n40, { alternative: "greater", method: "approx" });
  assert.ok(Math.abs(exact.pValue - approx.pValue) < 0.002, `${exact.pValue} vs ${approx.pValue}`);
});

test("average ranks share tied places", () => {
  assert.deepEqual(averageRanks([0.3, 0.1, 0.3, 0.2, 0.3]), [4, 1, 4, 2, 4]);
});

test("the normal tail is accurate far out", () => {
  // Φ̄(0) = ½, Φ̄(1.959963984540054) = 0.025 and erfc(5) from its series to 16 digits.
  assert.equal(normalSf(0), 0.5);
  assert.ok(Math.abs(normalSf(1.959963984540054) - 0.025) < 1e-15);
  assert.ok(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1) < 1e-14);
  assert.ok(Math.abs(normalSf(-1.959963984540054) - 0.975) < 1e-15);
});

test("bad input is rejected with the fix", () => {
  assert.throws(() => wilcoxonSignedRank([1, NaN]), /finite/);
  assert.throws(() => wilcoxonSignedRank([0, 0]), /zsplit/);
  assert.throws(() => wilcoxonSignedRank([1, 1, 2], { method: "exact" }), /permutation/);
  assert.throws(() => wilcoxonSignedRank(n40, { method: "permutation" }), /too many for 40/);
  assert.throws(() => wilcoxonSignedRank([1], { alternative: "bigger" as never }), /alternative/);
  assert.ok(Number.isNaN(wilcoxonSignedRank([]).pValue));
});
