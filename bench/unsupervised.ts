// Clustering and PCA: tunebook vs scikit-learn (bench/unsupervised.py) in one run.
//   node --import tsx bench/unsupervised.ts [--rounds 3]
// Timed on digits (1797 × 64, raw pixels): KMeans with 10 clusters and nInit 10,
// the silhouette of its labels, and a full-SVD PCA. Both sides run one thread
// and alternate rounds so drifting machine load hits both alike; compare medians
// and their ratio. On the four labelled datasets (standardised) it checks what the
// algorithms promise: KMeans' inertia within 1% of scikit-learn's best of nInit,
// and identical labels (adjusted Rand 1 between the two sides) for the
// deterministic agglomerative (ward) and DBSCAN.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findPackageRoot, loadArrays } from "../learn/datasets.js";
import { adjustedRand, silhouette } from "../learn/metrics/index.js";
import { AgglomerativeClustering, DBSCAN, KMeans } from "../learn/models/cluster/index.js";
import { PCA } from "../learn/models/decomposition/index.js";
import { StandardScaler } from "../learn/preprocessing.js";
import { median } from "./peer.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const rounds = Number(values.rounds);

type LabelledName = "iris" | "wine" | "breast_cancer" | "digits";
/** DBSCAN settings on the standardised rows: each gives a few clusters and some noise. */
const DBSCAN_SETTINGS: Record<LabelledName, { eps: number; minSamples: number }> = {
  iris: { eps: 0.8, minSamples: 5 },
  wine: { eps: 2.2, minSamples: 5 },
  breast_cancer: { eps: 2.5, minSamples: 10 },
  digits: { eps: 4, minSamples: 5 },
};

interface Timings {
  kmeansSeconds: number;
  kmeansInertia: number;
  silhouetteSeconds: number;
  silhouette: number;
  pcaSeconds: number;
  pcaExplainedVarianceRatio: number[];
}

interface SklearnRound extends Timings {
  labelled: Record<LabelledName, { kmeansInertia: number; kmeansAri: number; agglomerative: number[]; dbscan: number[] }>;
}

function sklearnRound(seed: number): SklearnRound {
  const root = findPackageRoot();
  const out = execFileSync(
    "/usr/bin/python3",
    [join(root, "bench", "unsupervised.py"), join(root, "data"), String(seed), JSON.stringify({ dbscan: DBSCAN_SETTINGS })],
    { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" }, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out) as SklearnRound;
}

function seconds<T>(fn: () => T): [number, T] {
  const start = performance.now();
  const value = fn();
  return [(performance.now() - start) / 1000, value];
}

function tunebookRound(seed: number): Timings {
  const { X } = loadArrays("digits");
  const [kmeansSeconds, kmeans] = seconds(() => {
    const model = new KMeans({ nClusters: 10, nInit: 10, seed });
    model.fit(X);
    return model;
  });
  const [silhouetteSeconds, score] = seconds(() => silhouette(X, kmeans.labels!));
  const [pcaSeconds, pca] = seconds(() => {
    const model = new PCA();
    model.fit(X);
    return model;
  });
  return {
    kmeansSeconds,
    kmeansInertia: kmeans.inertia!,
    silhouetteSeconds,
    silhouette: score,
    pcaSeconds,
    pcaExplainedVarianceRatio: [...pca.explainedVarianceRatio!],
  };
}

const ours: Timings[] = [];
const theirs: SklearnRound[] = [];
for (let round = 0; round < rounds; round++) {
  ours.push(tunebookRound(round));
  theirs.push(sklearnRound(round));
  const [a, b] = [ours.at(-1)!, theirs.at(-1)!];
  console.log(
    `round ${round + 1}/${rounds}: KMeans ${a.kmeansSeconds.toFixed(2)} s vs ${b.kmeansSeconds.toFixed(2)} s, ` +
      `silhouette ${a.silhouetteSeconds.toFixed(3)} s vs ${b.silhouetteSeconds.toFixed(3)} s, ` +
      `PCA ${a.pcaSeconds.toFixed(3)} s vs ${b.pcaSeconds.toFixed(3)} s (tunebook vs scikit-learn)`,
  );
}

function sideBySide(key: "kmeansSeconds" | "silhouetteSeconds" | "pcaSeconds" | "kmeansInertia" | "silhouette") {
  const tunebook = median(ours.map((r) => r[key]));
  const sklearn = median(theirs.map((r) => r[key]));
  return { tunebook, sklearn, ratio: tunebook / sklearn };
}

const evrGap = Math.max(
  ...ours.flatMap((r, i) => r.pcaExplainedVarianceRatio.map((v, c) => Math.abs(v - theirs[i].pcaExplainedVarianceRatio[c]))),
);

/** The labelled datasets, clustered by both sides from the same standardised rows. */
const labelled = (Object.keys(DBSCAN_SETTINGS) as LabelledName[]).map((name) => {
  const { X: raw, y } = loadArrays(name);
  const scaler = new StandardScaler();
  scaler.fit(raw);
  const X = scaler.transform(raw) as number[][];
  const k = new Set(y).size;
  const kmeans = theirs.map((round, seed) => {
    const model = new KMeans({ nClusters: k, nInit: 10, seed });
    model.fit(X);
    return { inertia: model.inertia!, ari: adjustedRand(y, model.labels!), sklearn: round.labelled[name] };
  });
  const reference = theirs[0].labelled[name];
  const ward = new AgglomerativeClustering({ nClusters: k, linkage: "ward" }).fitPredict(X);
  const dbscan = new DBSCAN(DBSCAN_SETTINGS[name]).fitPredict(X);
  return {
    dataset: name,
    clusters: k,
    kmeansInertiaRatio: median(kmeans.map((r) => r.inertia / r.sklearn.kmeansInertia)),
    kmeansAri: { tunebook: median(kmeans.map((r) => r.ari)), sklearn: median(kmeans.map((r) => r.sklearn.kmeansAri)) },
    agglomerative: { ariBetweenSides: adjustedRand(reference.agglomerative, ward), ariToClasses: adjustedRand(y, ward) },
    dbscan: {
      ...DBSCAN_SETTINGS[name],
      identical: dbscan.every((label, i) => label === reference.dbscan[i]),
      ariToClasses: adjustedRand(y, dbscan),
    },
  };
});

const result = {
  kind: "unsupervised",
  rounds,
  digits: {
    kmeans: sideBySide("kmeansSeconds"),
    kmeansInertia: sideBySide("kmeansInertia"),
    silhouetteTime: sideBySide("silhouetteSeconds"),
    silhouette: sideBySide("silhouette"),
    pca: sideBySide("pcaSeconds"),
    pcaExplainedVarianceRatioMaxGap: evrGap,
  },
  labelled,
  date: new Date().toISOString(),
};

const fmt = (r: { tunebook: number; sklearn: number; ratio: number }, digits = 3) =>
  `tunebook ${r.tunebook.toFixed(digits)}  scikit-learn ${r.sklearn.toFixed(digits)}  ratio ${r.ratio.toFixed(2)}`;
console.log(`\nmedians of ${rounds} rounds on digits (1797 × 64), one thread each:`);
console.log(`  KMeans(10 clusters, nInit 10) fit s   ${fmt(result.digits.kmeans)}`);
console.log(`  its inertia                          ${fmt(result.digits.kmeansInertia, 0)}`);
console.log(`  silhouette of its labels s            ${fmt(result.digits.silhouetteTime)}`);
console.log(`  silhouette value                      ${fmt(result.digits.silhouette, 4)}`);
console.log(`  PCA (full SVD) fit s                  ${fmt(result.digits.pca)}`);
console.log(`  explained variance ratio, largest difference ${evrGap.toExponential(1)}`);
console.log("\nstandardised labelled sets (k = number of classes):");
for (const r of labelled) {
  console.log(
    `  ${r.dataset.padEnd(14)} KMeans inertia ÷ scikit-learn's ${r.kmeansInertiaRatio.toFixed(4)}, ` +
      `ARI to classes ${r.kmeansAri.tunebook.toFixed(3)} vs ${r.kmeansAri.sklearn.toFixed(3)}; ` +
      `ward labels ARI between sides ${r.agglomerative.ariBetweenSides.toFixed(3)}; ` +
      `DBSCAN(eps ${r.dbscan.eps}, minSamples ${r.dbscan.minSamples}) labels ${r.dbscan.identical ? "identical" : "DIFFER"}`,
  );
}
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/unsupervised.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
