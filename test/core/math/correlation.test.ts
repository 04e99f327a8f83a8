import assert from "node:assert/strict";
import { test } from "node:test";
import { pearson, spearman } from "../../../core/math/correlation.js";
import { close, scipy } from "./scipy.js";

test("Pearson and Spearman match scipy's pearsonr and spearmanr", () => {
  for (const { a, b, pearson: r, spearman: rho } of scipy.correlation) {
    close(pearson(a, b), r, `pearsonr(${a.length})`, 1e-14, 1e-16);
    close(spearman(a, b), rho, `spearmanr(${a.length})`, 1e-14, 1e-16);
  }
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), "a constant side has no correlation");
  assert.ok(Number.isNaN(spearman([1], [2])), "one pair has no correlation");
});
