import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import type { JsonValue, TrialRecord } from "../../../core/records.js";
import { Rng } from "../../../core/rng.js";
import { clusteringScorer } from "../../../learn/metrics/clustering.js";
import { silhouette, silhouetteSamples } from "../../../learn/metrics/index.js";
import { KMeans } from "../../../learn/models/cluster/index.js";
import {
  CLUSTER_SCORES_ATTR,
  chartApplies,
  clusterProjectionData,
  clusterProjectionSpec,
  clusterQualityData,
  clusterQualityFromTrials,
  clusterQualitySpec,
  explainedVarianceData,
  explainedVarianceSpec,
  kindsFor,
  kneeOf,
  LOWER_IS_BETTER_SCORES,
  N_CLUSTERS_ATTR,
  NOISE_COLOR,
  STUDY_PALETTE,
  silhouetteData,
  silhouetteSpec,
  studyChart,
  studyCharts,
} from "../../../tracker/charts/index.js";
import { moSummary } from "../analysis/multi-objective-cases.js";
import { checkSpec, countMarks, rec, summary } from "./helpers.js";

/** Every text of a rendered SVG (titles, labels, legend entries). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, "&"));
}

/** A ValueError whose message matches. */
const fails = (pattern: RegExp) => (e: unknown) => e instanceof ValueError && pattern.test(e.message);

/** Four well-apart blobs of 30 points in two dimensions. */
function blobs(seed: number): { X: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const centres = [
    [0, 0],
    [8, 0],
    [0, 8],
    [8, 8],
  ];
  const X: number[][] = [];
  const y: number[] = [];
  centres.forEach(([cx, cy], c) => {
    for (let i = 0; i < 30; i++) {
      X.push([cx + rng.normal(), cy + rng.normal()]);
      y.push(c);
    }
  });
  return { X, y };
}

/** A trial recording its number of clusters and scores (either left out when undefined). */
function trial(
  number: number,
  k: number | undefined,
  scores: JsonValue | undefined,
  state: TrialRecord["state"] = "COMPLETE",
): TrialRecord {
  const userAttrs: Record<string, JsonValue> = {};
  if (k !== undefined) userAttrs[N_CLUSTERS_ATTR] = k;
  if (scores !== undefined) userAttrs[CLUSTER_SCORES_ATTR] = scores;
  return rec(number, state, state === "COMPLETE" ? 0.5 : null, {}, { userAttrs });
}

/** Number of area marks in a rendered SVG. */
const areas = (svg: string) => svg.split('aria-roledescription="area mark"').length - 1;

// ---------------------------------------------------------------- cluster quality

test("cluster quality: the best per number of clusters is the highest, or the lowest for inertia and Davies–Bouldin", () => {
  const data = clusterQualityData([
    { nClusters: 2, scores: { inertia: 50, silhouette: 0.4, daviesBouldin: 0.9, stability: 0.7 }, trial: 0 },
    { nClusters: 2, scores: { inertia: 40, silhouette: 0.5, daviesBouldin: 1.1, stability: 0.6 }, trial: 1 },
    { nClusters: 3, scores: { inertia: 30, silhouette: 0.3 }, trial: 2 },
  ]);
  const best = (score: string) =>
    data.rows
      .filter((r) => r.best && r.score === score)
      .map((r) => [r.nClusters, r.value])
      .sort((a, b) => a[0] - b[0]);
  assert.deepEqual(best("inertia"), [
    [2, 40],
    [3, 30],
  ]);
  assert.deepEqual(best("silhouette"), [
    [2, 0.5],
    [3, 0.3],
  ]);
  assert.deepEqual(best("daviesBouldin"), [[2, 0.9]]);
  assert.deepEqual(best("stability"), [[2, 0.7]]);
  assert.deepEqual(data.scores, [
    { name: "inertia", lowerIsBetter: true },
    { name: "silhouette", lowerIsBetter: false },
    { name: "daviesBouldin", lowerIsBetter: true },
    { name: "stability", lowerIsBetter: false },
  ]);
  assert.equal(data.rows.length, 10);
  assert.equal(data.knee, null, "two distinct k: no knee");
  // A score named lower-is-better by the caller.
  const loss = clusterQualityData(
    [
      { nClusters: 2, scores: { loss: 3 } },
      { nClusters: 2, scores: { loss: 1 } },
    ],
    { lowerIsBetter: ["loss"] },
  );
  assert.deepEqual(
    loss.rows.map((r) => r.best),
    [false, true],
  );
});

test("cluster quality: the lower-is-better names agree with the clustering scorers' directions", () => {
  for (const name of [
    "silhouette",
    "calinskiHarabasz",
    "daviesBouldin",
    "silhouette_score",
    "calinski_harabasz_score",
    "davies_bouldin_score",
  ] as const)
    assert.equal(LOWER_IS_BETTER_SCORES.includes(name), !clusteringScorer(name).greaterIsBetter, name);
});

test("cluster quality: clear errors naming the bad point, score or option", () => {
  assert.throws(() => clusterQualityData([{ nClusters: 0, scores: {} }]), fails(/point 0 has nClusters 0; it must be an integer ≥ 1/));
  assert.throws(() => clusterQualityData([{ nClusters: 2.5, scores: {} }]), fails(/nClusters 2\.5/));
  assert.throws(() => clusterQualityData([{ nClusters: "3" as never, scores: {} }]), fails(/nClusters "3"/));
  assert.throws(
    () =>
      clusterQualityData([
        { nClusters: 3, scores: { inertia: 1 } },
        { nClusters: 4, scores: [1] as never },
      ]),
    fails(/point 1 \(k = 4\) has scores \[1\]/),
  );
  assert.throws(
    () => clusterQualityData([{ nClusters: 3, scores: { silhouette: Number.NaN } }]),
    fails(/point 0 \(k = 3\) has silhouette = NaN; scores must be finite numbers/),
  );
  assert.throws(() => clusterQualityData("points" as never), fails(/points must be an array, got "points"/));
  assert.throws(
    () => clusterQualityData([], { lowerIsBeter: [] } as never),
    fails(/unknown option "lowerIsBeter"\. Did you mean "lowerIsBetter"/),
  );
});

/** A sharp elbow at 3: steep before, nearly flat after. */
const ELBOW_AT_3: readonly [number, number][] = [
  [1, 100],
  [2, 40],
  [3, 20],
  [4, 17],
  [5, 15],
  [6, 14],
];

test("the knee by Kneedle: the farthest point below the chord of the scaled curve", () => {
  const curve = ELBOW_AT_3;
  assert.equal(kneeOf(curve), 3);
  assert.equal(kneeOf([...curve].reverse()), 3, "order of the points does not matter");
  // Scaling either axis leaves the knee where it is.
  assert.equal(kneeOf(curve.map(([x, y]) => [x * 10, y * 1000 + 7])), 30);
  // The elbow moved to 5.
  assert.equal(
    kneeOf([
      [2, 100],
      [3, 90],
      [4, 80],
      [5, 20],
      [6, 18],
      [7, 16],
      [8, 15],
    ]),
    5,
  );
  assert.equal(kneeOf(curve.slice(0, 2)), null, "fewer than 3 points");
  assert.equal(
    kneeOf([
      [1, 3],
      [2, 2],
      [3, 1],
    ]),
    null,
    "a straight line has no elbow",
  );
  assert.equal(
    kneeOf([
      [1, 10],
      [2, 9],
      [3, 1],
    ]),
    null,
    "a concave curve has none",
  );
  assert.equal(
    kneeOf([
      [1, 5],
      [2, 5],
      [3, 5],
    ]),
    null,
    "a flat curve has none",
  );
  assert.throws(
    () =>
      kneeOf([
        [1, 5],
        [1, 4],
        [2, 3],
      ]),
    fails(/x values more than once/),
  );
});

test("cluster quality: the knee is taken on the best inertia per k, not on every clustering", () => {
  const points = ELBOW_AT_3.map(([k, inertia]) => ({ nClusters: k, scores: { inertia } }));
  // Poor restarts at k = 2 and 3: were they the curve, the elbow would be elsewhere.
  const noisy = [...points, { nClusters: 2, scores: { inertia: 95 } }, { nClusters: 3, scores: { inertia: 90 } }];
  assert.equal(clusterQualityData(points).knee, 3);
  assert.equal(clusterQualityData(noisy).knee, 3);
  assert.equal(clusterQualityData(points.map((p) => ({ nClusters: p.nClusters, scores: { silhouette: 0.5 } }))).knee, null, "no inertia");
});

test("cluster quality from k-means on four blobs: elbow at 4, one panel per score, every legend entry and title drawn", async () => {
  const { X } = blobs(7);
  const points = [];
  for (let k = 2; k <= 8; k++)
    for (const seed of [1, 2]) {
      const model = new KMeans({ nClusters: k, nInit: 1, seed });
      const labels = model.fitPredict(X);
      points.push({ nClusters: k, scores: { inertia: model.inertia!, silhouette: silhouette(X, labels) } });
    }
  const data = clusterQualityData(points);
  assert.equal(data.knee, 4);
  const svg = await checkSpec(clusterQualitySpec(data, { study: "blobs" }));
  const text = texts(svg);
  for (const expected of [
    "Clustering quality by number of clusters — blobs",
    "inertia (lower is better)",
    "silhouette (higher is better)",
    "Number of clusters",
    "Each clustering",
    "Best at each number of clusters",
    "elbow: 4 clusters",
  ])
    assert.ok(text.includes(expected), `${expected} in ${text.join(" | ")}`);
  assert.equal(countMarks(svg, "line mark"), 2, "one best-per-k line per panel");
  assert.equal(countMarks(svg, "rule mark"), 1, "the elbow");
  // The x axes count clusters: integer labels only, 2 … 8.
  const ticks = text.filter((t) => /^[\d.]+$/.test(t) && ["2", "3", "4", "5", "6", "7", "8"].includes(t));
  assert.equal(ticks.length, 14, "each panel labels k = 2 … 8");
  assert.ok(!text.some((t) => /^[1-9]\.5$/.test(t)), "no half clusters");
});

test("cluster quality from trials: completed trials with n_clusters and cluster_scores; undefined scores left out", async () => {
  const trials = [
    trial(0, 2, { inertia: 90, silhouette: 0.4 }),
    trial(1, 3, { inertia: 40, silhouette: null, stability: 0.8 }),
    trial(2, 4, { inertia: 30 }, "FAIL"),
    trial(3, undefined, { inertia: 1 }),
    trial(4, 4, undefined),
    trial(5, 4, { inertia: 35, note: "text" }),
    trial(6, 5, { inertia: 33 }),
  ];
  const data = clusterQualityFromTrials(trials);
  assert.deepEqual(
    data.rows.map((r) => [r.trial, r.score, r.nClusters, r.value]),
    [
      [0, "inertia", 2, 90],
      [0, "silhouette", 2, 0.4],
      [1, "inertia", 3, 40],
      [1, "stability", 3, 0.8],
      [5, "inertia", 4, 35],
      [6, "inertia", 5, 33],
    ],
  );
  assert.equal(data.knee, 3);
  await checkSpec(clusterQualitySpec(data));
  assert.deepEqual(clusterQualityFromTrials([trial(0, undefined, undefined)]).rows, []);
  const empty = await checkSpec(clusterQualitySpec(clusterQualityFromTrials([])), { tooltips: false });
  assert.ok(texts(empty).some((t) => /No trial records n_clusters/.test(t)));
});

test('study chart "cluster-quality": offered when a completed trial records the attributes, absent otherwise', async () => {
  const study = summary("kmeans-iris", "maximize");
  const clustered = [
    trial(0, 2, { inertia: 100, silhouette: 0.5 }),
    trial(1, 3, { inertia: 40, silhouette: 0.6 }),
    trial(2, 4, { inertia: 30, silhouette: 0.55 }),
  ];
  const plain = [rec(0, "COMPLETE", 0.5), rec(1, "COMPLETE", 0.7)];
  assert.ok(kindsFor(study, clustered).includes("cluster-quality"));
  assert.ok(!kindsFor(study, plain).includes("cluster-quality"));
  assert.ok(!kindsFor(study).includes("cluster-quality"), "without trials, no chart of what they recorded");
  assert.ok(!kindsFor(study, [trial(0, 2, { inertia: 1 }, "RUNNING")]).includes("cluster-quality"), "completed trials only");
  assert.ok(kindsFor(moSummary("two", ["maximize", "minimize"]), clustered).includes("cluster-quality"), "any number of objectives");
  assert.equal(chartApplies("cluster-quality", study, clustered), true);
  // The other kinds do not depend on the trials.
  assert.deepEqual(
    kindsFor(study, clustered).filter((k) => k !== "cluster-quality"),
    kindsFor(study),
  );

  const chart = studyChart("cluster-quality", study, clustered);
  const all = studyCharts(study, clustered);
  assert.deepEqual(all["cluster-quality"], chart.spec);
  assert.equal(all.notes["cluster-quality"], chart.note);
  const svg = await checkSpec(chart.spec);
  assert.ok(texts(svg).includes("Clustering quality by number of clusters — kmeans-iris"));
  assert.equal(chart.note, "Elbow of the inertia (Kneedle): 3 clusters.");
  assert.equal(studyCharts(study, plain)["cluster-quality"], undefined);

  // Asked for anyway: a chart that says what is missing.
  const missing = studyChart("cluster-quality", study, plain);
  assert.match(missing.note ?? "", /needs completed trials that record the user attributes n_clusters and cluster_scores/);
  await checkSpec(missing.spec, { tooltips: false });
});

// ---------------------------------------------------------------- silhouette plot

test("silhouette plot: bars sorted within each cluster, clusters stacked with gaps, noise last or left out", async () => {
  const labels = [1, 0, 1, -1, 0, 0, 1];
  const values = [0.5, 0.2, -0.1, -0.3, 0.9, 0.6, 0.3];
  const data = silhouetteData({ silhouette: values, labels });
  assert.deepEqual(
    data.rows.map((r) => [r.cluster, r.value, r.sample]),
    [
      ["cluster 0", 0.2, 1],
      ["cluster 0", 0.6, 5],
      ["cluster 0", 0.9, 4],
      ["cluster 1", -0.1, 2],
      ["cluster 1", 0.3, 6],
      ["cluster 1", 0.5, 0],
      ["noise", -0.3, 3],
    ],
  );
  // Each bar one sample high; a gap of 2 between clusters.
  assert.deepEqual(
    data.rows.map((r) => [r.y, r.y2]),
    [
      [0, 1],
      [1, 2],
      [2, 3],
      [5, 6],
      [6, 7],
      [7, 8],
      [10, 11],
    ],
  );
  assert.deepEqual(
    data.clusters.map((c) => [c.cluster, c.size, c.middle]),
    [
      ["cluster 0", 3, 1.5],
      ["cluster 1", 3, 6.5],
      ["noise", 1, 10.5],
    ],
  );
  assert.ok(Math.abs(data.mean! - values.reduce((a, b) => a + b) / 7) < 1e-12);
  const omitted = silhouetteData({ silhouette: values.map((v, i) => (labels[i] === -1 ? Number.NaN : v)), labels }, { noise: "omit" });
  assert.deepEqual(
    omitted.clusters.map((c) => c.cluster),
    ["cluster 0", "cluster 1"],
  );
  assert.ok(Math.abs(omitted.mean! - 2.4 / 6) < 1e-12);
  // String labels keep their names, in code-point order.
  assert.deepEqual(
    silhouetteData({ silhouette: [0.1, 0.2], labels: ["b", "a"] }).clusters.map((c) => c.cluster),
    ["a", "b"],
  );
});

test("silhouette plot of k-means on blobs: its mean is the silhouette score, noise drawn apart or left out as the metric does", async () => {
  const { X } = blobs(3);
  const labels = new KMeans({ nClusters: 4, seed: 0 }).fitPredict(X).map((l, i) => (i % 17 === 0 ? -1 : l));
  const cluster = silhouetteData({ silhouette: silhouetteSamples(X, labels), labels });
  assert.ok(Math.abs(cluster.mean! - silhouette(X, labels)) < 1e-12);
  const excluded = silhouetteData({ silhouette: silhouetteSamples(X, labels, { noise: "exclude" }), labels }, { noise: "omit" });
  assert.ok(Math.abs(excluded.mean! - silhouette(X, labels, { noise: "exclude" })) < 1e-12);
  const svg = await checkSpec(silhouetteSpec(cluster, { subject: "k-means, 4 clusters" }));
  const text = texts(svg);
  for (const expected of [
    "Silhouette per cluster — k-means, 4 clusters",
    "Silhouette value",
    "Samples, sorted within each cluster",
    "Cluster",
    "cluster 0",
    "cluster 1",
    "cluster 2",
    "cluster 3",
    "noise",
    `mean ${Number(cluster.mean!.toFixed(3))}`,
  ])
    assert.ok(text.includes(expected), `${expected} in ${text.join(" | ")}`);
  assert.equal(areas(svg), 5, "one shape per cluster and the noise");
  assert.equal(countMarks(svg, "rule mark"), 1, "the mean");
  assert.ok(svg.includes(`fill="${NOISE_COLOR}"`), "noise in grey");
  assert.ok(svg.includes(`fill="${STUDY_PALETTE[0]}"`), "clusters in the palette");
  assert.ok(!texts(await checkSpec(silhouetteSpec(excluded))).includes("noise"));
});

test("silhouette plot: a large clustering keeps an even sample of each cluster, each cluster keeping its height", () => {
  const labels = Array.from({ length: 3000 }, (_, i) => (i < 2000 ? 0 : 1));
  const values = labels.map((_, i) => ((i * 7919) % 1000) / 1000);
  const data = silhouetteData({ silhouette: values, labels }, { maxPoints: 300 });
  assert.equal(data.rows.length, 300);
  assert.equal(data.rows.filter((r) => r.cluster === "cluster 0").length, 200);
  const top = (c: string) => Math.max(...data.rows.filter((r) => r.cluster === c).map((r) => r.y2));
  assert.ok(Math.abs(top("cluster 0") - 2000) < 1e-9);
  assert.equal(data.clusters[1].size, 1000);
  const sorted = data.rows.filter((r) => r.cluster === "cluster 1").map((r) => r.value);
  assert.deepEqual(
    sorted,
    [...sorted].sort((a, b) => a - b),
  );
});

test("silhouette plot: clear errors", () => {
  assert.throws(
    () => silhouetteData({ silhouette: [0.1, 1.5], labels: [0, 1] }),
    fails(/silhouette\[1\] is 1\.5; silhouette values are numbers in \[−1, 1\]/),
  );
  assert.throws(
    () => silhouetteData({ silhouette: [0.1, Number.NaN], labels: [0, -1] }),
    fails(/silhouette\[1\] is NaN/),
    "drawn noise needs values",
  );
  assert.throws(() => silhouetteData({ silhouette: [0.1, 0.2], labels: [0] }), fails(/labels has 1 entries for 2 samples/));
  assert.throws(() => silhouetteData({ silhouette: [0.1, 0.2], labels: [0, "a"] }), fails(/mix numbers and strings/));
  assert.throws(() => silhouetteData({ silhouette: [0.1], labels: [null as never] }), fails(/labels\[0\] is null/));
  assert.throws(
    () => silhouetteData({ silhouette: [0.1], labels: [0] }, { noise: "drop" as never }),
    fails(/noise is "drop"; it must be "separate" or "omit"/),
  );
  assert.throws(() => silhouetteData({ silhouette: [0.1], labels: [0] }, { maxPoint: 3 } as never), fails(/Did you mean "maxPoints"/));
  assert.throws(() => silhouetteData({ silhouette: "x" as never, labels: [] }), fails(/silhouette must be an array/));
});

// ---------------------------------------------------------------- explained variance

test("explained variance: cumulative shares, the components reaching the threshold, labelled on the chart", async () => {
  const ratios = [0.7296, 0.2285, 0.0367, 0.0052];
  const data = explainedVarianceData(ratios, { threshold: 0.95 });
  assert.deepEqual(
    data.rows.map((r) => r.component),
    [1, 2, 3, 4],
  );
  const sums = [0.7296, 0.9581, 0.9948, 1];
  for (const [i, r] of data.rows.entries()) assert.ok(Math.abs(r.cumulative - sums[i]) < 1e-12, `component ${i + 1}`);
  assert.equal(data.reached, 2);
  assert.equal(explainedVarianceData(ratios, { threshold: 0.99 }).reached, 3);
  assert.equal(explainedVarianceData(ratios, { threshold: 1 }).reached, 4, "reaching 1 within rounding");
  assert.equal(explainedVarianceData([0.5, 0.3], { threshold: 0.9 }).reached, null);
  assert.equal(explainedVarianceData(ratios).reached, null);

  const svg = await checkSpec(explainedVarianceSpec(data, { subject: "iris" }));
  const text = texts(svg);
  for (const expected of [
    "Explained variance — iris",
    "Principal component",
    "Share of variance",
    "Explained by the component",
    "Cumulative",
    "95% reached with 2 components",
  ])
    assert.ok(text.includes(expected), `${expected} in ${text.join(" | ")}`);
  assert.equal(countMarks(svg, "bar"), 4);
  assert.equal(countMarks(svg, "rule mark"), 1);
  const short = texts(await checkSpec(explainedVarianceSpec(explainedVarianceData([0.5, 0.3], { threshold: 0.9 }))));
  assert.ok(short.includes("90% not reached by 2 components"));
  assert.equal(countMarks(await checkSpec(explainedVarianceSpec(explainedVarianceData(ratios))), "rule mark"), 0, "no threshold, no rule");
});

test("explained variance: clear errors", () => {
  assert.throws(() => explainedVarianceData([0.5, -0.1]), fails(/explainedVarianceRatio\[1\] is -0\.1; ratios are shares in \[0, 1\]/));
  assert.throws(() => explainedVarianceData([4.2, 1.3]), fails(/explainedVarianceRatio\[0\] is 4\.2/));
  assert.throws(
    () => explainedVarianceData([0.7, 0.6]),
    fails(/sum to 1\.2.*pass explainedVarianceRatio \(shares\), not explainedVariance/),
  );
  assert.throws(() => explainedVarianceData([0.5], { threshold: 95 }), fails(/threshold is 95; give a share in \(0, 1\]/));
  assert.throws(() => explainedVarianceData([0.5], { treshold: 0.9 } as never), fails(/Did you mean "threshold"/));
  assert.throws(() => explainedVarianceData(null as never), fails(/must be an array of numbers, got null/));
});

// ---------------------------------------------------------------- 2-D projection

test("projection: points coloured by cluster with noise in grey, shaped by true class, axes titled as asked", async () => {
  const { X, y } = blobs(5);
  const labels = new KMeans({ nClusters: 4, seed: 0 }).fitPredict(X).map((l, i) => (i % 25 === 0 ? -1 : l));
  const data = clusterProjectionData({ points: X.map(([a, b]) => [a, b] as const), labels, yTrue: y.map((c) => `class ${c}`) });
  assert.equal(data.rows.length, X.length);
  assert.deepEqual(data.clusters, ["cluster 0", "cluster 1", "cluster 2", "cluster 3", "noise"]);
  assert.deepEqual(data.classes, ["class 0", "class 1", "class 2", "class 3"]);
  assert.deepEqual(data.rows[1], { x: X[1][0], y: X[1][1], cluster: `cluster ${labels[1]}`, truth: "class 0", sample: 1 });
  const svg = await checkSpec(clusterProjectionSpec(data, { xTitle: "PC1 (52.1%)", yTitle: "PC2 (47.9%)", subject: "blobs" }));
  const text = texts(svg);
  for (const expected of ["PC1 (52.1%)", "PC2 (47.9%)", "Cluster", "True class", ...data.clusters, ...data.classes])
    assert.ok(text.includes(expected), `${expected} in ${text.join(" | ")}`);
  assert.equal(countMarks(svg, "point"), X.length);
  assert.ok(svg.includes(`fill="${NOISE_COLOR}"`), "noise in grey");
  const plain = texts(await checkSpec(clusterProjectionSpec(clusterProjectionData({ points: [[0, 1]], labels: [0] }))));
  assert.ok(plain.includes("Component 1") && plain.includes("Component 2") && !plain.includes("True class"));
});

test("projection: capped like other charts, and clear errors", async () => {
  const points = Array.from({ length: 1000 }, (_, i) => [i, i % 7] as const);
  const labels = points.map((_, i) => i % 3);
  const data = clusterProjectionData({ points, labels }, { maxPoints: 100 });
  assert.equal(data.rows.length, 100);
  assert.equal(data.total, 1000);
  assert.equal(data.rows[0].sample, 0);
  assert.equal(data.rows[99].sample, 999);
  const text = texts(await checkSpec(clusterProjectionSpec(data)));
  assert.ok(text.includes("Clusters in two dimensions (100 of 1000 samples)"));
  assert.throws(
    () => clusterProjectionData({ points: [[0, 1], [2]] as never, labels: [0, 1] }),
    fails(/points\[1\] is \[2\]; each point is \[x, y\]/),
  );
  assert.throws(
    () => clusterProjectionData({ points: [[0, Number.NaN]], labels: [0] }),
    fails(/points\[0\]\[1\] is NaN; coordinates must be finite numbers/),
  );
  assert.throws(() => clusterProjectionData({ points: [[0, 1]], labels: [0, 1] }), fails(/labels has 2 entries for 1 samples/));
  assert.throws(() => clusterProjectionData({ points: [[0, 1]], labels: [0], yTrue: [] }), fails(/yTrue has 0 entries for 1 samples/));
  assert.throws(() => clusterProjectionData({ points: [[0, 1]], labels: [0] }, { max: 3 } as never), fails(/unknown option "max"/));
});
