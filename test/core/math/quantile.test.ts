import assert from "node:assert/strict";
import { test } from "node:test";
import { quantileSorted } from "../../../core/math/quantile.js";
import { scipy } from "./scipy.js";

test("quantileSorted equals numpy's linear quantile", () => {
  for (const { sorted, q, value } of scipy.quantiles) assert.equal(quantileSorted(sorted, q), value, `quantile(${sorted}, ${q})`);
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
  assert.equal(quantileSorted([-Infinity, -Infinity, 1], 0.25), -Infinity);
});
