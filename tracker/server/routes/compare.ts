import { Router } from "express";
import { show } from "../../../core/errors.js";
import { isBetter, type StudyDirection, type TrialRecord } from "../../../core/records.js";
import { compareAlgorithms, foldScores, summarizeScores, type Comparison } from "../../analysis/compare.js";
import { compareBestSoFarChart, compareFoldsChart } from "../chart-specs.js";
import type { ServerContext } from "../context.js";
import { badParam } from "../http-errors.js";
import { checkQueryKeys, listValue, numberValue } from "../query.js";
import { studyJson } from "../serialize.js";
import type { CachedStudy } from "../study-cache.js";
import type { CompareResponse, CompareRow } from "../types.js";

/** Studies compared: at most this many at once (each is one colour in the charts). */
export const MAX_COMPARED = 12;

/**
 * Several studies side by side (typically one per algorithm of an experiment): their
 * best-so-far curves, the fold scores of each one's best trial, and the paired tests
 * between the two with the best values.
 */
export function compareRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/compare", async (req, res) => {
    checkQueryKeys(req.query, ["studies", "alpha"]);
    const ids = parseIds(listValue(req.query, "studies"));
    const alpha = numberValue(req.query, "alpha", 0.05, 1e-9, 0.5);
    const studies: CachedStudy[] = [];
    for (const id of ids) studies.push(await ctx.studyById(id));
    res.json(compare(studies, alpha));
  });
  return router;
}

function parseIds(raw: string[]): number[] {
  if (raw.length === 0) throw badParam("studies", `Query parameter "studies" is required: a comma-separated list of study ids, e.g. ?studies=1,2.`);
  const ids = raw.map((v) => {
    const n = Number(v);
    if (!/^\d{1,15}$/.test(v) || !Number.isSafeInteger(n)) throw badParam("studies", `Query parameter "studies" takes study ids (non-negative integers), got ${show(v)}.`);
    return n;
  });
  const unique = [...new Set(ids)];
  if (unique.length > MAX_COMPARED) throw badParam("studies", `Query parameter "studies" names ${unique.length} studies; compare at most ${MAX_COMPARED} at once.`);
  return unique;
}

function bestTrial(study: CachedStudy): TrialRecord | null {
  const number = study.summary.bestTrialNumber;
  if (number === null) return null;
  const trials = study.trials;
  return trials[number]?.number === number ? trials[number] : (trials.find((t) => t.number === number) ?? null);
}

function compare(studies: readonly CachedStudy[], alpha: number): CompareResponse {
  const directions = new Set(studies.map((s) => s.summary.direction));
  const direction: StudyDirection | "mixed" = directions.size === 1 ? [...directions][0] : "mixed";
  const rows: CompareRow[] = studies.map((s) => {
    const best = bestTrial(s);
    const scores = best ? foldScores(best) : null;
    const summary = scores ? summarizeScores(scores) : null;
    return { study: studyJson(s.summary), foldScores: scores ?? [], mean: summary?.mean ?? null, std: summary?.std ?? null };
  });
  const { test, note } = direction === "mixed" ? { test: null, note: "The studies do not share a direction (some minimise, some maximise): nothing is ranked or tested." } : pairedTest(rows, direction, alpha);
  return {
    direction,
    rows,
    bestSoFarChart: compareBestSoFarChart(studies),
    foldChart: compareFoldsChart(rows),
    test,
    ...(note ? { note } : {}),
  };
}

/** The tests between the two studies with the best values, on their best trials' fold scores. */
function pairedTest(rows: readonly CompareRow[], direction: StudyDirection, alpha: number): { test: Comparison | null; note?: string } {
  const ranked = rows.filter((r) => r.study.bestValue !== null).sort((a, b) => (isBetter(direction, a.study.bestValue!, b.study.bestValue!) ? -1 : isBetter(direction, b.study.bestValue!, a.study.bestValue!) ? 1 : 0));
  if (ranked.length < 2) return { test: null, note: "A paired test needs two studies with a COMPLETE trial each." };
  const [a, b] = ranked;
  const missing = [a, b].filter((r) => r.foldScores.length < 2).map((r) => r.study.name);
  if (missing.length) {
    return { test: null, note: `No paired test: the best trial of ${missing.map((n) => show(n)).join(" and ")} recorded no fold scores (a list of at least 2 numbers in the user attribute fold_scores, as crossValidate objectives store it).` };
  }
  if (a.foldScores.length !== b.foldScores.length) {
    return { test: null, note: `No paired test: the best trials of ${show(a.study.name)} and ${show(b.study.name)} were scored on different numbers of folds (${a.foldScores.length} and ${b.foldScores.length}); pair them on the same folds.` };
  }
  return { test: compareAlgorithms({ name: a.study.name, scores: a.foldScores }, { name: b.study.name, scores: b.foldScores }, { direction, alpha }) };
}
