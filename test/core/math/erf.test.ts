import assert from "node:assert/strict";
import { test } from "node:test";
import { erf, erfc, erfcx } from "../../../core/math/erf.js";
import { close, scipy } from "./scipy.js";

test("erf and erfc match scipy across fdlibm's branches and into erfc's underflow", () => {
  assert.ok(scipy.erf.length >= 60, "fixture has erf values");
  for (const { x, erf: e, erfc: c } of scipy.erf) {
    close(erf(x), e, `erf(${x})`, 4e-16);
    // Above 1.25, e^(−x²) is formed in one exp: the rounding of x² costs up to x²·2^-53.
    close(erfc(x), c, `erfc(${x})`, 4e-16 * Math.max(4, x * x));
  }
  assert.equal(erf(Infinity), 1);
  assert.equal(erf(-Infinity), -1);
  assert.equal(erfc(Infinity), 0);
  assert.equal(erfc(-Infinity), 2);
  assert.ok(Number.isNaN(erf(NaN)) && Number.isNaN(erfc(NaN)));
});

test("erfcx matches scipy from its overflow at −26.5 to 1e8", () => {
  for (const { x, erfcx: v } of [...scipy.erf, ...scipy.erfcx]) close(erfcx(x), v, `erfcx(${x})`, 2e-15);
  assert.equal(erfcx(Infinity), 0);
});
