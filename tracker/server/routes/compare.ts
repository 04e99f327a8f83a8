import { Router } from "express";
import { show } from "../../../core/errors.js";
import type { StudyDirection, StudySummary } from "../../../core/records.js";
import { objectiveTitles } from "../../analysis/objectives.js";
import { comparisonCharts, multiObjectiveComparisonCharts } from "../../charts/study-charts.js";
import { PAGE_MAX_POINTS } from "../chart-specs.js";
import { nestedComparisonJson } from "../compare-nested.js";
import type { ServerContext } from "../context.js";
import { badParam, notFound } from "../http-errors.js";
import { checkQueryKeys, listValue, oneValue } from "../query.js";
import { studyJson } from "../serialize.js";
import type { CachedStudy } from "../study-cache.js";
import { paretoOf } from "../study-views.js";
import type { CompareResponse, CompareRow, MultiObjectiveCompareJson } from "../types.js";

type BestTrialComparison = Omit<CompareResponse, "nested">;

/** Studies compared: at most this many at once (each is one colour in the charts). */
export const MAX_COMPARED = 12;

/**
 * Several studies side by side (typically one per algorithm of an experiment): their
 * best-so-far curves, the fold scores of each one's best trial, and the paired tests
 * between the two with the best values (all from tracker/analysis and tracker/charts).
 * `?studies=1,2` names the studies, `?experiment=name` takes every study of an
 * experiment. When some are inner studies of nested cross-validation runs, the runs are
 * compared by their outer scores as well (`nested`).
 */
export function compareRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/compare", async (req, res) => {
    checkQueryKeys(req.query, ["studies", "experiment"]);
    const experiment = oneValue(req.query, "experiment");
    let body: BestTrialComparison;
    let selected: StudySummary[];
    if (experiment !== undefined) {
      if (listValue(req.query, "studies").length > 0)
        throw badParam("experiment", `Give either "studies" (a list of study ids) or "experiment" (a name), not both.`);
      selected = (await ctx.listStudies()).filter((s) => s.experiment === experiment);
      if (selected.length === 0) throw notFound(`No experiment named ${show(experiment)}. The experiments are listed at /api/studies.`);
      const ids = selected.map((s) => s.studyId);
      body = ids.length <= MAX_COMPARED ? compare(await load(ctx, ids)) : tooMany(selected);
    } else {
      const studies = await load(ctx, parseIds(listValue(req.query, "studies")));
      selected = studies.map((s) => s.summary);
      body = compare(studies);
    }
    const response: CompareResponse = { ...body, nested: await nestedComparisonJson(ctx, selected) };
    res.json(response);
  });
  return router;
}

async function load(ctx: ServerContext, ids: readonly number[]): Promise<CachedStudy[]> {
  const studies: CachedStudy[] = [];
  for (const id of ids) studies.push(await ctx.studyById(id));
  return studies;
}

/** An experiment with more studies than a comparison by best trial takes: listed by nothing, with the way out. */
function tooMany(summaries: readonly StudySummary[]): BestTrialComparison {
  const directions = new Set(summaries.map((s) => s.directions.join(",")));
  return {
    direction: directions.size === 1 ? summaries[0].direction : "mixed",
    rows: [],
    bestSoFarChart: null,
    foldChart: null,
    test: null,
    note: `The experiment has ${summaries.length} studies; tick at most ${MAX_COMPARED} of them to compare them by their best trials.`,
    multiObjective: null,
  };
}

function parseIds(raw: string[]): number[] {
  if (raw.length === 0)
    throw badParam(
      "studies",
      `Query parameter "studies" is required: a comma-separated list of study ids, e.g. ?studies=1,2 (or ?experiment=<name> for every study of an experiment).`,
    );
  const ids = raw.map((v) => {
    const n = Number(v);
    if (!/^\d{1,15}$/.test(v) || !Number.isSafeInteger(n))
      throw badParam("studies", `Query parameter "studies" takes study ids (non-negative integers), got ${show(v)}.`);
    return n;
  });
  const unique = [...new Set(ids)];
  if (unique.length > MAX_COMPARED)
    throw badParam("studies", `Query parameter "studies" names ${unique.length} studies; compare at most ${MAX_COMPARED} at once.`);
  return unique;
}

function compare(studies: readonly CachedStudy[]): BestTrialComparison {
  // Studies compare when they share every direction (one objective, or the same several).
  const signatures = new Set(studies.map((s) => s.summary.directions.join(",")));
  const direction: StudyDirection | "mixed" = signatures.size === 1 ? studies[0].summary.direction : "mixed";
  const several = studies.some((s) => s.summary.directions.length > 1);
  if (several) return compareMultiObjective(studies, direction);
  const charts = comparisonCharts(studies.map((s) => ({ summary: s.summary, trials: s.trials })));
  const standing = new Map(charts.comparison.standings.map((s) => [s.name, s]));
  const rows: CompareRow[] = studies.map((s) => {
    const st = standing.get(s.summary.name);
    return {
      study: studyJson(s.summary),
      foldScores: st?.foldScores ?? [],
      mean: st?.foldSummary?.mean ?? null,
      std: st?.foldSummary?.std ?? null,
    };
  });
  if (direction === "mixed") {
    // The ranking (and so the choice of the two to test) needs one direction.
    return {
      direction,
      rows,
      bestSoFarChart: charts.bestSoFar,
      foldChart: charts.foldScores,
      test: null,
      note: "The studies do not share a direction (some minimise, some maximise): nothing is ranked or tested.",
      multiObjective: null,
    };
  }
  const { test, noTestReason } = charts.comparison;
  return {
    direction,
    rows,
    bestSoFarChart: charts.bestSoFar,
    foldChart: charts.foldScores,
    test,
    ...(noTestReason ? { note: `No paired test: ${noTestReason}.` } : {}),
    multiObjective: null,
  };
}

/**
 * Studies of which some have several objectives: compared by hypervolume when they all have
 * the same directions; else only listed.
 */
function compareMultiObjective(studies: readonly CachedStudy[], direction: StudyDirection | "mixed"): BestTrialComparison {
  const rows: CompareRow[] = studies.map((s) => ({ study: studyJson(s.summary, paretoOf(s)), foldScores: [], mean: null, std: null }));
  const base = { rows, bestSoFarChart: null, foldChart: null, test: null };
  if (direction === "mixed") {
    return {
      ...base,
      direction,
      note: "The studies do not have the same objectives and directions: nothing is ranked or tested.",
      multiObjective: null,
    };
  }
  const charts = multiObjectiveComparisonCharts(
    studies.map((s) => ({ summary: s.summary, trials: s.trials })),
    { maxPoints: PAGE_MAX_POINTS },
  );
  const { comparison } = charts;
  const byName = new Map(studies.map((s) => [s.summary.name, s]));
  const multiObjective: MultiObjectiveCompareJson = {
    directions: comparison.directions,
    objectives: objectiveTitles(studies[0].summary),
    referencePoint: comparison.referencePointOwnUnits,
    rows: comparison.standings.map((st) => {
      const s = byName.get(st.name)!;
      const { name: _name, ...rest } = st;
      return { study: studyJson(s.summary, paretoOf(s)), ...rest };
    }),
    hypervolumeChart: charts.hypervolume,
    groups: comparison.groups,
    test: comparison.test,
    ...(comparison.noTestReason ? { noTestReason: comparison.noTestReason } : {}),
  };
  return {
    ...base,
    direction,
    ...(comparison.noTestReason ? { note: `No paired test: ${comparison.noTestReason}.` } : {}),
    multiObjective,
  };
}
