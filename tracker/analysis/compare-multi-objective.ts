import { show, ValueError } from "../../core/errors.js";
import { defaultReferencePoint } from "../../core/math/hypervolume.js";
import type { StudyDirection } from "../../core/records.js";
import { minimisedValues } from "../../tune/best-trials.js";
import { type Comparison, type ComparisonOptions, compareAlgorithms, type ScoreSummary, summarizeScores } from "./compare.js";
import type { StudyEntry } from "./compare-studies.js";
import { frontMarks, type HypervolumePoint, hypervolumeHistory, inOwnUnits } from "./pareto-front.js";

/**
 * Studies with several objectives side by side, by hypervolume: one reference point for
 * all of them (`defaultReferencePoint` over the union of their feasible fronts), so their
 * hypervolumes compare. Studies repeated over seeds, named like `nsga2-seed0`,
 * `nsga2-seed1`, `random-seed0`, … (see `repeatOf`), form groups; the two groups with the
 * best mean final hypervolume are paired seed by seed and tested as fold scores are for
 * one objective: a paired t-test and the Wilcoxon signed-rank test.
 */

export interface HypervolumeStanding {
  name: string;
  /** Final hypervolume w.r.t. the common reference point; 0 without a feasible completed trial. */
  hypervolume: number;
  /** Trials on the study's feasible Pareto front. */
  frontSize: number;
  /** COMPLETE trials with finite values, feasible or not. */
  nComplete: number;
  nFeasible: number;
  /** The repeat the name denotes (`nsga2-seed3`: group `nsga2`, seed `3`); null when it names none. */
  group: string | null;
  seed: string | null;
}

export interface RepeatGroup {
  /** The name its studies share before the seed. */
  name: string;
  /** Its studies, ordered by seed. */
  studies: string[];
  seeds: string[];
  /** Final hypervolume of each study, in the order of `seeds`. */
  hypervolumes: number[];
  summary: ScoreSummary;
}

export interface MultiObjectiveComparison {
  directions: StudyDirection[];
  /** The common reference point, minimised; null when no study has a feasible completed trial. */
  referencePoint: number[] | null;
  /** The same point in the objectives' own units. */
  referencePointOwnUnits: number[] | null;
  /** Largest hypervolume first. */
  standings: HypervolumeStanding[];
  /** Hypervolume after each completed trial of each study, w.r.t. the common reference point. */
  histories: { name: string; points: HypervolumePoint[] }[];
  /** Groups of two or more repeats, best mean first; empty when no name denotes a repeat. */
  groups: RepeatGroup[];
  /** Paired tests of the final hypervolumes of the two best groups, over the seeds they share. */
  test: Comparison | null;
  /** Why there is no test, when there is none. */
  noTestReason?: string;
}

/**
 * The group and seed a study name denotes: a trailing number after a separator (`-`, `_`,
 * space or `.`) and/or the word seed, rep or run: `nsga2-seed0`, `tpe_rep3`, `random 12`,
 * `qmc-s=2` is not one. Null when the name ends in no such number.
 */
export function repeatOf(name: string): { group: string; seed: string } | null {
  const match = /^(.+?)(?:[-_ .](?:seed|rep|run)?|seed|rep|run)[-_=]?(\d+)$/i.exec(name);
  return match ? { group: match[1], seed: String(Number(match[2])) } : null;
}

export function compareMultiObjective(
  entries: readonly StudyEntry[],
  options: Pick<ComparisonOptions, "alpha"> = {},
): MultiObjectiveComparison {
  if (entries.length === 0) throw new ValueError("compareMultiObjective: give at least one study.");
  const directions = entries[0].summary.directions;
  for (const { summary } of entries) {
    if (summary.directions.length !== directions.length || summary.directions.some((d, i) => d !== directions[i])) {
      throw new ValueError(
        `compareMultiObjective: study ${show(summary.name)} has directions ${show(summary.directions)}, not ${show(directions)}; compare studies of the same objectives.`,
      );
    }
  }
  const marked = entries.map((e) => ({ entry: e, marks: frontMarks(e.trials, directions) }));
  const fronts = marked.flatMap(({ marks }) =>
    marks.filter((m) => m.mark === "front").map((m) => minimisedValues(m.trial.values!, directions)),
  );
  const reference = fronts.length ? defaultReferencePoint(fronts) : null;
  const histories = entries.map((e) => ({
    name: e.summary.name,
    points: reference ? hypervolumeHistory(e.trials, directions, { referencePoint: reference }).points : [],
  }));
  const standings = marked.map(({ entry, marks }, i): HypervolumeStanding => {
    const repeat = repeatOf(entry.summary.name);
    return {
      name: entry.summary.name,
      hypervolume: histories[i].points.at(-1)?.hypervolume ?? 0,
      frontSize: marks.filter((m) => m.mark === "front").length,
      nComplete: marks.length,
      nFeasible: marks.filter((m) => m.mark !== "infeasible").length,
      group: repeat?.group ?? null,
      seed: repeat?.seed ?? null,
    };
  });
  standings.sort((a, b) => b.hypervolume - a.hypervolume);
  const groups = repeatGroups(standings);
  const base = {
    directions: [...directions],
    referencePoint: reference,
    referencePointOwnUnits: reference ? inOwnUnits(reference, directions) : null,
    standings,
    histories,
    groups,
  };
  const { test, reason } = pairedTest(groups, options.alpha);
  return test ? { ...base, test } : { ...base, test: null, noTestReason: reason };
}

function repeatGroups(standings: readonly HypervolumeStanding[]): RepeatGroup[] {
  const byGroup = new Map<string, HypervolumeStanding[]>();
  for (const s of standings) {
    if (s.group === null) continue;
    const list = byGroup.get(s.group) ?? [];
    list.push(s);
    byGroup.set(s.group, list);
  }
  return [...byGroup.entries()]
    .filter(([, list]) => list.length >= 2)
    .map(([name, list]) => {
      const sorted = [...list].sort((a, b) => Number(a.seed) - Number(b.seed));
      const hypervolumes = sorted.map((s) => s.hypervolume);
      return {
        name,
        studies: sorted.map((s) => s.name),
        seeds: sorted.map((s) => s.seed!),
        hypervolumes,
        summary: summarizeScores(hypervolumes),
      };
    })
    .sort((a, b) => b.summary.mean - a.summary.mean);
}

/**
 * The best two groups' final hypervolumes, paired by seed. The runs are independent (no
 * training set shared between seeds), so the t-test takes no overlap correction: the
 * corrected resampled t-test with a test/train ratio of 0 is the plain paired t-test.
 */
function pairedTest(groups: readonly RepeatGroup[], alpha?: number): { test: Comparison | null; reason: string } {
  if (groups.length < 2) {
    return {
      test: null,
      reason:
        "a paired test needs two algorithms, each repeated over the same seeds, with names like nsga2-seed0, nsga2-seed1, random-seed0, random-seed1",
    };
  }
  const [a, b] = groups;
  const shared = a.seeds.filter((seed) => b.seeds.includes(seed));
  if (shared.length < 2) {
    return { test: null, reason: `${a.name} and ${b.name} share ${shared.length} seed(s); a paired test needs at least 2` };
  }
  const scores = (g: RepeatGroup) => shared.map((seed) => g.hypervolumes[g.seeds.indexOf(seed)]);
  return {
    test: compareAlgorithms(
      { name: a.name, scores: scores(a) },
      { name: b.name, scores: scores(b) },
      { direction: "maximize", testTrainRatio: 0, ...(alpha !== undefined ? { alpha } : {}) },
    ),
    reason: "",
  };
}
