import { checkOptionKeys, show, ValueError } from "../../../core/errors.js";
import type { Rng } from "../../../core/rng.js";
import type { Features } from "../../estimator.js";
import { checkPositiveInteger } from "../../splitters/checks.js";
import { type ModelJSON, modelJSON, readModelJSON } from "../serial.js";
import { CENTROID_OPTION_KEYS, CentroidClusterer, type CentroidOptions, startingCenters } from "./centroid-clusterer.js";
import { squaredEuclidean } from "./distances.js";
import type { KMeansRun } from "./kmeans-core.js";
import { assign, sampleIndices, scaledTolerance } from "./kmeans-core.js";
import { checkNumberAbove } from "./options.js";

export interface MiniBatchKMeansOptions extends CentroidOptions {
  /** Rows per mini-batch (at most the rows of X). Default 1024. */
  batchSize?: number;
  /** Most passes over the data, counted in rows seen. Default 100. */
  maxIter?: number;
  /** Seedings tried, each on its own random subset; the one of least inertia on a held-out sample starts the run. Default 3 (scikit-learn 1.2's); one with an init array. */
  nInit?: number;
  /** Early stop when the centres' total squared move in one step is at most tol times the mean feature variance. Default 0 (off). */
  tol?: number;
  /** Early stop after this many batches without a new low of the smoothed batch inertia; null turns it off. Default 10. */
  maxNoImprovement?: number | null;
  /** Rows drawn for seeding. Default 3 × batchSize, raised to 3 × nClusters when smaller, capped at the rows of X. */
  initSize?: number;
  /** A centre whose count falls below this share of the largest count moves to a random row of the batch. Default 0.01. */
  reassignmentRatio?: number;
}

const KEYS = [...CENTROID_OPTION_KEYS, "batchSize", "maxIter", "nInit", "tol", "maxNoImprovement", "initSize", "reassignmentRatio"];

/** The running state of one fit: the centres, how many rows each has absorbed, and the early-stopping monitor. */
interface Progress {
  centers: number[][];
  counts: number[];
  sinceReassign: number;
  ewaInertia?: number;
  ewaMin?: number;
  noImprovement: number;
}

/**
 * Mini-batch k-means (scikit-learn's `MiniBatchKMeans`): each step assigns a random
 * batch to the nearest centres and moves every centre to the mean of all the rows it
 * has absorbed so far, so its learning rate is one over its count. Centres whose count
 * stays far below the largest move to random rows of a batch. The draws come from
 * tunebook's generator, so the results differ from scikit-learn's while following
 * the same algorithm.
 */
export class MiniBatchKMeans extends CentroidClusterer {
  readonly batchSize: number;
  readonly maxIter: number;
  readonly nInit: number;
  readonly tol: number;
  readonly maxNoImprovement: number | null;
  readonly initSize: number | undefined;
  readonly reassignmentRatio: number;
  private steps?: number;

  constructor(options: MiniBatchKMeansOptions = {}) {
    const where = "MiniBatchKMeans";
    checkOptionKeys(where, options, KEYS);
    super(where, options);
    const fixed = Array.isArray(this.settings.init);
    if (fixed && options.nInit !== undefined && options.nInit !== 1) {
      throw new ValueError(`${where}: nInit=${show(options.nInit)} seedings would all be the same init centres; leave nInit out.`);
    }
    this.batchSize = checkPositiveInteger(where, "batchSize", options.batchSize ?? 1024);
    this.maxIter = checkPositiveInteger(where, "maxIter", options.maxIter ?? 100);
    this.nInit = fixed ? 1 : checkPositiveInteger(where, "nInit", options.nInit ?? 3);
    this.tol = checkNumberAbove(where, "tol", options.tol ?? 0, 0, true);
    this.maxNoImprovement =
      options.maxNoImprovement === null ? null : checkPositiveInteger(where, "maxNoImprovement", options.maxNoImprovement ?? 10, 0);
    if (options.initSize !== undefined) {
      checkPositiveInteger(where, "initSize", options.initSize);
      if (options.initSize < this.nClusters) {
        throw new ValueError(
          `${where}: initSize=${options.initSize} rows cannot seed nClusters=${this.nClusters} centres; use initSize >= ${this.nClusters}.`,
        );
      }
    }
    this.initSize = options.initSize;
    this.reassignmentRatio = checkNumberAbove(where, "reassignmentRatio", options.reassignmentRatio ?? 0.01, 0, true);
  }

  /** Mini-batches processed (scikit-learn's `n_steps_`). */
  get nSteps(): number | undefined {
    return this.state && this.steps;
  }

  fit(X: Features, _y?: readonly unknown[]): void {
    const rng = this.startFit(X);
    const n = X.length;
    const batch = Math.min(this.batchSize, n);
    const k = this.nClusters;
    const initSize = Math.min(this.initSize ?? (3 * batch < k ? 3 * k : 3 * batch), n);
    const tol = scaledTolerance(X, this.tol);
    const draw = (count: number) => Array.from({ length: count }, () => X[rng.integer(0, n - 1)]);

    const validation = draw(initSize);
    let start: number[][] | undefined;
    let startInertia = Infinity;
    for (let run = 0; run < this.nInit; run++) {
      const subset = initSize < n ? draw(initSize) : X;
      const centers = startingCenters("MiniBatchKMeans.fit", this.settings, subset, rng);
      const { inertia } = assign(validation, centers);
      if (start === undefined || inertia < startInertia) {
        start = centers;
        startInertia = inertia;
      }
    }

    const progress: Progress = { centers: start!, counts: new Array<number>(k).fill(0), sinceReassign: 0, noImprovement: 0 };
    const nSteps = Math.floor((this.maxIter * n) / batch);
    let step = 0;
    for (; step < nSteps; step++) {
      const rows = draw(batch);
      progress.sinceReassign += batch;
      const reassign = progress.counts.some((c) => c === 0) || progress.sinceReassign >= 10 * k;
      if (reassign) progress.sinceReassign = 0;
      const before = progress.centers;
      const batchInertia = this.step(rows, progress, reassign, rng);
      const moved = tol > 0 ? progress.centers.reduce((total, c, j) => total + squaredEuclidean(c, before[j]), 0) : 0;
      if (this.converged(step, n, batch, moved, tol, batchInertia / batch, progress)) break;
    }
    this.steps = Math.min(step, nSteps - 1) + 1;
    const { labels, inertia } = assign(X, progress.centers);
    this.state = { centers: progress.centers, labels, inertia, nIter: Math.ceil((this.steps * batch) / n), width: X[0].length };
  }

  /** The options and, once fitted, the centres, labels and inertia, as plain JSON (see `modelFromJSON`). */
  toJSON(): ModelJSON {
    const params: MiniBatchKMeansOptions = {
      ...this.centroidParams(),
      batchSize: this.batchSize,
      maxIter: this.maxIter,
      nInit: this.nInit,
      tol: this.tol,
      maxNoImprovement: this.maxNoImprovement,
      initSize: this.initSize,
      reassignmentRatio: this.reassignmentRatio,
    };
    return modelJSON("MiniBatchKMeans", params, this.state && { ...this.state, steps: this.steps });
  }

  static fromJSON(json: unknown): MiniBatchKMeans {
    const { params, state } = readModelJSON<MiniBatchKMeansOptions, KMeansRun & { width: number; steps: number }>("MiniBatchKMeans", json);
    const model = new MiniBatchKMeans(params);
    if (state) {
      const { steps, ...run } = state;
      model.state = run;
      model.steps = steps;
    }
    return model;
  }

  /** One mini-batch: assign, move each centre to the mean of all it has absorbed, reassign starved centres; returns the batch inertia. */
  private step(rows: Features, progress: Progress, reassign: boolean, rng: Rng): number {
    const { centers, counts } = progress;
    const { labels, inertia } = assign(rows, centers);
    const width = rows[0].length;
    const next = centers.map((center, j) => {
      let added = 0;
      const sum = center.map((v) => v * counts[j]);
      rows.forEach((row, i) => {
        if (labels[i] !== j) return;
        added++;
        for (let f = 0; f < width; f++) sum[f] += row[f];
      });
      if (added === 0) return center.slice();
      counts[j] += added;
      const alpha = 1 / counts[j];
      return sum.map((v) => v * alpha);
    });
    if (reassign && this.reassignmentRatio > 0) {
      const largest = Math.max(...counts);
      const starved = counts.map((c) => c < this.reassignmentRatio * largest);
      if (starved.filter(Boolean).length > 0.5 * rows.length) {
        const order = counts.map((_, j) => j).sort((a, b) => counts[a] - counts[b]);
        for (const j of order.slice(Math.floor(0.5 * rows.length))) starved[j] = false;
      }
      const moving = starved.flatMap((s, j) => (s ? [j] : []));
      if (moving.length > 0) {
        const picks = sampleIndices(rows.length, moving.length, rng);
        moving.forEach((j, m) => {
          next[j] = rows[picks[m]].slice();
        });
        const kept = counts.filter((_, j) => !starved[j]);
        const floor = Math.min(...kept);
        for (const j of moving) counts[j] = floor;
      }
    }
    progress.centers = next;
    return inertia;
  }

  /** scikit-learn's early stopping: a small move of the centres, or no new low of the smoothed batch inertia for a while. */
  private converged(step: number, n: number, batch: number, moved: number, tol: number, batchInertia: number, progress: Progress): boolean {
    if (step === 0) return false;
    const alpha = Math.min((batch * 2) / (n + 1), 1);
    progress.ewaInertia = progress.ewaInertia === undefined ? batchInertia : progress.ewaInertia * (1 - alpha) + batchInertia * alpha;
    if (tol > 0 && moved <= tol) return true;
    if (progress.ewaMin === undefined || progress.ewaInertia < progress.ewaMin) {
      progress.noImprovement = 0;
      progress.ewaMin = progress.ewaInertia;
    } else {
      progress.noImprovement++;
    }
    return this.maxNoImprovement !== null && progress.noImprovement >= this.maxNoImprovement;
  }
}
