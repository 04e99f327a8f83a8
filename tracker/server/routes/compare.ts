import { Router } from "express";
import { show } from "../../../core/errors.js";
import type { StudyDirection } from "../../../core/records.js";
import { objectiveTitles } from "../../analysis/objectives.js";
import { comparisonCharts, multiObjectiveComparisonCharts } from "../../charts/study-charts.js";
import { PAGE_MAX_POINTS } from "../chart-specs.js";
import type { ServerContext } from "../context.js";
import { badParam } from "../http-errors.js";
import { checkQueryKeys, listValue } from "../query.js";
import { studyJson } from "../serialize.js";
import type { CachedStudy } from "../study-cache.js";
import { paretoOf } from "../study-views.js";
import type { CompareResponse, CompareRow, MultiObjectiveCompareJson } from "../types.js";

/** Studies compared: at most this many at once (each is one colour in the charts). */
export const MAX_COMPARED = 12;

/**
 * Several studies side by side (typically one per algorithm of an experiment): their
 * best-so-far curves, the fold scores of each one's best trial, and the paired tests
 * between the two with the best values (all from tracker/analysis and tracker/charts).
 */
export function compareRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/compare", async (req, res) => {
    checkQueryKeys(req.query, ["studies"]);
    const ids = parseIds(listValue(req.query, "studies"));
    const studies: CachedStudy[] = [];
    for (const id of ids) studies.push(await ctx.studyById(id));
    res.json(compare(studies));
  });
  return router;
}

function parseIds(raw: string[]): number[] {
  if (raw.length === 0)
    throw badParam("studies", `Query parameter "studies" is required: a comma-separated list of study ids, e.g. ?studies=1,2.`);
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

function compare(studies: readonly CachedStudy[]): CompareResponse {
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
function compareMultiObjective(studies: readonly CachedStudy[], direction: StudyDirection | "mixed"): CompareResponse {
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
