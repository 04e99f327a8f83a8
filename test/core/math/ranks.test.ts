import assert from "node:assert/strict";
import { test } from "node:test";
import { rankData } from "../../../core/math/ranks.js";
import { scipy } from "./scipy.js";

test("rankData gives scipy's average ranks, ties sharing the mean of their positions", () => {
  for (const { values, ranks } of scipy.rankdata) assert.deepEqual(rankData(values), ranks, `rankdata(${values})`);
  assert.deepEqual(rankData([3, 1, 4, 1, 5]), [3, 1.5, 4, 1.5, 5]);
  assert.deepEqual(rankData([]), []);
});
