import assert from "node:assert/strict";
import { test } from "node:test";
import { logGaussMass, logNormalCdf, normalCdf, normalPdf, normalQuantile, normalSf } from "../../../core/math/normal.js";
import { close, scipy } from "./scipy.js";

/** The rounding of z/√2 and of z² costs up to about z²·2^-53 relative in the tails. */
const tailTolerance = (z: number) => 4e-16 * Math.max(4, z * z);

test("density, CDF, survival function and log CDF match scipy in both tails", () => {
  assert.ok(scipy.normal.length >= 50, "fixture has normal values");
  for (const { z, pdf, cdf, sf, logCdf } of scipy.normal) {
    const rel = tailTolerance(z);
    close(normalPdf(z), pdf, `norm.pdf(${z})`, rel);
    // scipy's ndtr flushes to 0 below about −37.5, where Φ is still a subnormal number.
    close(normalCdf(z), cdf, `ndtr(${z})`, rel, 1e-300);
    close(normalSf(z), sf, `norm.sf(${z})`, rel, 1e-300);
    close(logNormalCdf(z), logCdf, `log_ndtr(${z})`, rel);
  }
  assert.equal(normalCdf(-Infinity), 0);
  assert.equal(normalSf(Infinity), 0);
  assert.equal(logNormalCdf(-Infinity), -Infinity);
  assert.ok(logNormalCdf(Infinity) === 0, "log Φ(∞) = 0");
  assert.ok(Number.isFinite(logNormalCdf(-1e150)), "log Φ stays finite far below");
});

test("the quantile matches scipy's ndtri in both tails and inverts the CDF", () => {
  for (const { p, z } of scipy.quantile) close(normalQuantile(p), z, `ndtri(${p})`, 4e-16, 2e-16);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  for (const bad of [-0.1, 1.5, NaN]) assert.ok(Number.isNaN(normalQuantile(bad)), `ndtri(${bad}) is NaN`);
  // Round trips through the lower tail, where Φ(z) keeps its full relative precision.
  for (const z of [-30, -5, -1, -0.2]) close(normalQuantile(normalCdf(z)), z, `ndtri(ndtr(${z}))`, 1e-15);
});

test("the log of the mass between two bounds matches scipy's truncnorm, in the far tails too", () => {
  for (const { a, b, value } of scipy.logGaussMass) {
    // When the mass is within 1e-16 of 1, its log is only resolved to 1e-16 absolutely.
    close(logGaussMass(a, b), value, `_log_gauss_mass(${a}, ${b})`, 4e-16 * Math.max(4, a * a, b * b), 2e-16);
  }
  assert.equal(logGaussMass(1, 1), -Infinity);
  // A sliver at the centre: the mass is b·φ(0) to 1e-20 (scipy's ndtr(b) − ndtr(0) loses half its digits here).
  close(logGaussMass(0, 1e-10), Math.log(1e-10 * normalPdf(0)), "log mass of [0, 1e-10]", 1e-15);
});
