import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import {
  classBalanceData,
  classBalanceSpec,
  compareHistoryData,
  compareHistorySpec,
  correlationData,
  correlationSpec,
  featureAssociationData,
  featureAssociationSpec,
  featureHistogramData,
  featureHistogramSpec,
  foldScoresData,
  foldScoresSpec,
} from "../../../tracker/charts/index.js";
import { checkSpec, countMarks, rec } from "./helpers.js";

test("best-so-far curves of several studies, aligned by completed trials", async () => {
  const a = [rec(0, "COMPLETE", 0.7), rec(1, "FAIL", null), rec(2, "COMPLETE", 0.8), rec(3, "COMPLETE", 0.75)];
  const b = [rec(0, "COMPLETE", 0.6), rec(1, "COMPLETE", 0.9)];
  const rows = compareHistoryData([
    { name: "rf", direction: "maximize", trials: a },
    { name: "knn", direction: "maximize", trials: b },
  ]);
  assert.deepEqual(rows, [
    { study: "rf", index: 1, number: 0, best: 0.7 },
    { study: "rf", index: 2, number: 2, best: 0.8 },
    { study: "rf", index: 3, number: 3, best: 0.8 },
    { study: "knn", index: 1, number: 0, best: 0.6 },
    { study: "knn", index: 2, number: 1, best: 0.9 },
  ]);
  const svg = await checkSpec(compareHistorySpec(rows));
  assert.equal(countMarks(svg, "line mark"), 2);
});

test("fold scores: one row per fold, box and points per study", async () => {
  const rows = foldScoresData([
    { name: "rf", scores: [0.9, 0.8] },
    { name: "knn", scores: [0.7] },
  ]);
  assert.deepEqual(rows, [
    { study: "rf", fold: 0, score: 0.9 },
    { study: "rf", fold: 1, score: 0.8 },
    { study: "knn", fold: 0, score: 0.7 },
  ]);
  const svg = await checkSpec(foldScoresSpec(rows));
  assert.equal(countMarks(svg, "point"), 3);
  assert.equal(countMarks(svg, "tick"), 2);
  assert.throws(
    () => foldScoresData([{ name: "x", scores: [0.5, NaN] }]),
    (e: unknown) => e instanceof ValueError && /fold 1 of "x"/.test(e.message),
  );
});

test("correlation heatmap: one cell per pair, undefined correlations as null", async () => {
  const rows = correlationData({
    features: ["a", "b"],
    matrix: [
      [1, -0.5],
      [-0.5, NaN],
    ],
  });
  assert.deepEqual(rows, [
    { x: "a", y: "a", i: 0, j: 0, r: 1 },
    { x: "b", y: "a", i: 0, j: 1, r: -0.5 },
    { x: "a", y: "b", i: 1, j: 0, r: -0.5 },
    { x: "b", y: "b", i: 1, j: 1, r: null },
  ]);
  const svg = await checkSpec(correlationSpec(rows, { method: "pearson" }));
  assert.equal(countMarks(svg, "rect mark"), 4 + 3, "a grey cell under each, a coloured one where r is defined");
  assert.equal(countMarks(svg, "text mark"), 3, "no text for the undefined cell");
  assert.throws(
    () => correlationData({ features: ["a", "b"], matrix: [[1]] }),
    (e: unknown) => e instanceof ValueError && /2 × 2/.test(e.message),
  );
  // many features: capped at 70 × 70 cells by default
  const features = Array.from({ length: 100 }, (_, i) => `f${i}`);
  const big = correlationData({ features, matrix: features.map((_, i) => features.map((_, j) => (i === j ? 1 : 0))) });
  assert.equal(big.length, 4900);
  assert.equal(correlationData({ features, matrix: features.map(() => features.map(() => 0)) }, { maxFeatures: 10 }).length, 100);
});

test("feature histograms from bins or raw values", async () => {
  const rows = featureHistogramData(
    [
      { feature: "alcohol", bins: [{ start: 0, end: 1, count: 3 }] },
      { feature: "ash", values: [0, 1, 2, 3] },
    ],
    { bins: 2 },
  );
  assert.deepEqual(rows, [
    { feature: "alcohol", start: 0, end: 1, count: 3 },
    { feature: "ash", start: 0, end: 1.5, count: 2 },
    { feature: "ash", start: 1.5, end: 3, count: 2 },
  ]);
  const svg = await checkSpec(featureHistogramSpec(rows));
  assert.equal(countMarks(svg, "bar"), 3);
  assert.throws(() => featureHistogramData([{ feature: "x", bins: [{ start: 2, end: 1, count: 1 }] }]), ValueError);
});

test("class balance from counts or labels", async () => {
  const fromLabels = classBalanceData({ labels: ["b", "a", "b", 1, "b"] });
  assert.deepEqual(fromLabels, [
    { label: "b", count: 3, share: 0.6 },
    { label: "a", count: 1, share: 0.2 },
    { label: "1", count: 1, share: 0.2 },
  ]);
  assert.deepEqual(
    classBalanceData([
      { label: 0, count: 2 },
      { label: 1, count: 6 },
    ]).map((r) => r.share),
    [0.25, 0.75],
  );
  const svg = await checkSpec(classBalanceSpec(fromLabels, { target: "class" }));
  assert.equal(countMarks(svg, "bar"), 3);
  assert.throws(() => classBalanceData([{ label: "a", count: -1 }]), ValueError);
});

test("feature–target association, strongest first", async () => {
  const rows = featureAssociationData([
    { feature: "x", score: 0.1 },
    { feature: "y", score: 0.8, pValue: 0.001 },
  ]);
  assert.deepEqual(rows, [
    { feature: "y", score: 0.8, pValue: 0.001 },
    { feature: "x", score: 0.1, pValue: null },
  ]);
  const svg = await checkSpec(featureAssociationSpec(rows, { method: "Mutual information", target: "class" }));
  assert.equal(countMarks(svg, "bar"), 2);
  assert.throws(() => featureAssociationData([{ feature: "x", score: NaN }]), ValueError);
});
