import assert from "node:assert/strict";
import { test } from "node:test";
import { incompleteBeta, logBeta } from "../../../core/math/beta.js";
import { logGamma } from "../../../core/math/gamma.js";
import { close, scipy } from "./scipy.js";

test("the regularised incomplete beta function matches scipy's betainc", () => {
  assert.ok(scipy.betainc.length >= 15, "fixture has betainc values");
  for (const { x, a, b, value } of scipy.betainc) close(incompleteBeta(x, a, b), value, `betainc(${a}, ${b}, ${x})`, 1e-13);
  assert.equal(incompleteBeta(0, 2, 3), 0);
  assert.equal(incompleteBeta(1, 2, 3), 1);
  assert.ok(Number.isNaN(incompleteBeta(0.5, 0, 3)), "a = 0 is NaN");
  // 1 − x passed separately: the same value when it is exact.
  assert.equal(incompleteBeta(0.25, 2, 3, 0.75), incompleteBeta(0.25, 2, 3));
});

test("logBeta agrees with the sum of logGammas where that is exact, and stays exact where it cancels", () => {
  for (const [a, b] of [
    [0.5, 0.5],
    [2, 3],
    [0.5, 12],
    [15, 30],
    [9.5, 9.5],
  ]) {
    close(logBeta(a, b), logGamma(a) + logGamma(b) - logGamma(a + b), `betaln(${a}, ${b})`, 1e-14, 1e-14);
  }
  // B(1, b) = 1/b and B(2, b) = 1/(b(b + 1)) exactly, for b far beyond where ln Γ differences cancel.
  close(logBeta(1, 1e7), -Math.log(1e7), "betaln(1, 1e7)", 1e-15);
  close(logBeta(2, 5e5), -Math.log(5e5) - Math.log1p(5e5), "betaln(2, 5e5)", 1e-15);
  close(logBeta(1e6, 1), -Math.log(1e6), "betaln(1e6, 1)", 1e-15);
});
