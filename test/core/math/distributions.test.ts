import assert from "node:assert/strict";
import { test } from "node:test";
import { fDistributionSf, studentTCdf, studentTSf } from "../../../core/math/distributions.js";
import { normalSf } from "../../../core/math/normal.js";
import { close, scipy } from "./scipy.js";

test("Student t tails match scipy's t.sf and t.cdf", () => {
  assert.ok(scipy.studentT.length >= 10, "fixture has t tails");
  for (const { t, df, sf, cdf } of scipy.studentT) {
    close(studentTSf(t, df), sf, `t.sf(${t}, ${df})`, 2e-13);
    close(studentTCdf(t, df), cdf, `t.cdf(${t}, ${df})`, 2e-13);
  }
  assert.equal(studentTSf(Infinity, 3), 0);
  assert.equal(studentTSf(-Infinity, 3), 1);
  assert.equal(studentTSf(2, Infinity), normalSf(2));
  assert.ok(Number.isNaN(studentTSf(1, 0)), "df 0 is NaN");
});

test("F tails match scipy's f.sf", () => {
  assert.ok(scipy.fSf.length >= 8, "fixture has F tails");
  for (const { f, d1, d2, sf } of scipy.fSf) close(fDistributionSf(f, d1, d2), sf, `f.sf(${f}, ${d1}, ${d2})`, 1e-13);
  assert.equal(fDistributionSf(0, 2, 3), 1);
  assert.equal(fDistributionSf(Infinity, 2, 3), 0);
  assert.ok(Number.isNaN(fDistributionSf(NaN, 2, 3)) && Number.isNaN(fDistributionSf(1, 0, 3)));
});
