/**
 * Which notebooks run together, and in what order: the tour's four share one working folder
 * (review-experiments reopens the tracker the others wrote); each of the others runs alone,
 * in a folder of its own.
 */

/** The tour, in run order: the later notebooks read what the earlier ones stored. */
export const TOUR = ["explore-dataset.ipynb", "tune-and-compare.ipynb", "neural-net-pruning.ipynb", "review-experiments.ipynb"];

/** Notebooks that stand alone, each in a fresh working folder. */
export const STANDALONE = ["accuracy-vs-size.ipynb", "clustering.ipynb", "honest-selection.ipynb"];

/** Every notebook as groups that each run in one working folder, in order. */
export const RUNS: readonly (readonly string[])[] = [TOUR, ...STANDALONE.map((name) => [name])];
