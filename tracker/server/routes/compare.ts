import { Router } from "express";
import { show } from "../../../core/errors.js";
import type { StudyDirection } from "../../../core/records.js";
import { comparisonCharts } from "../../charts/study-charts.js";
import type { ServerContext } from "../context.js";
import { badParam } from "../http-errors.js";
import { checkQueryKeys, listValue } from "../query.js";
import { studyJson } from "../serialize.js";
import type { CachedStudy } from "../study-cache.js";
import type { CompareResponse, CompareRow } from "../types.js";

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
  const directions = new Set(studies.map((s) => s.summary.direction));
  const direction: StudyDirection | "mixed" = directions.size === 1 ? [...directions][0] : "mixed";
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
  };
}
