import assert from "node:assert/strict";
import { test } from "node:test";
import { digammaInteger, logGamma, lowerIncompleteGamma, upperIncompleteGamma } from "../../../core/math/gamma.js";
import { close, scipy } from "./scipy.js";

test("logGamma matches scipy's gammaln, reflected below ½", () => {
  assert.ok(scipy.gammaln.length >= 20, "fixture has gammaln values");
  // Near the zeros at 1 and 2, and where the reflection cancels, only an absolute bound means something.
  for (const { x, value } of scipy.gammaln) close(logGamma(x), value, `gammaln(${x})`, 2e-15, 3e-15);
  assert.equal(logGamma(0), Infinity);
  assert.equal(logGamma(-3), Infinity);
});

test("digamma at integers matches scipy", () => {
  for (const { n, value } of scipy.digamma) close(digammaInteger(n), value, `digamma(${n})`, 1e-14, 1e-16);
});

test("the regularised incomplete gamma functions match scipy's gammainc and gammaincc", () => {
  assert.ok(scipy.gammainc.length >= 20, "fixture has gammainc values");
  for (const { a, x, p, q } of scipy.gammainc) {
    close(lowerIncompleteGamma(a, x), p, `gammainc(${a}, ${x})`, 2e-14);
    close(upperIncompleteGamma(a, x), q, `gammaincc(${a}, ${x})`, 2e-14);
  }
  assert.deepEqual([lowerIncompleteGamma(2, 0), upperIncompleteGamma(2, 0)], [0, 1]);
  assert.deepEqual([lowerIncompleteGamma(2, Infinity), upperIncompleteGamma(2, Infinity)], [1, 0]);
  assert.ok(Number.isNaN(lowerIncompleteGamma(0, 1)) && Number.isNaN(upperIncompleteGamma(1, -1)));
});
