import { Router } from "express";
import type { StudySummary, TrialRecord } from "../../../core/records.js";
import { filterFields } from "../../../core/trial-filter/ast.js";
import { unknownParamsHint } from "../../../core/trial-filter/hints.js";
import { isMultiObjective, objectiveTitles } from "../../analysis/objectives.js";
import type { ParetoSummary } from "../../analysis/pareto-front.js";
import { chartScope, kindsFor } from "../../charts/study-charts.js";
import { trialsToCsv, trialsToJson } from "../../export.js";
import { trialIntermediateChart } from "../chart-specs.js";
import type { ServerContext } from "../context.js";
import { HttpError, notFound } from "../http-errors.js";
import { checkQueryKeys, enumValue, pathInt } from "../query.js";
import { groupByExperiment, noteHtml, paramInfos, studyJson, trialJson, trialRowJson } from "../serialize.js";
import { constraintColumnsOf, paretoOf } from "../study-views.js";
import { parseTrialQuery, selectionKey, selectTrials } from "../trial-table.js";
import { storageTrialQuery } from "../trial-table-storage.js";
import type { StudiesResponse, StudyResponse, TrialResponse, TrialsResponse } from "../types.js";

/** The studies list, one study, its trials (table, one trial, export). */
export function studiesRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get("/api/studies", async (req, res) => {
    checkQueryKeys(req.query, []);
    const studies = await ctx.listStudies();
    const paretos = await paretoSummaries(ctx, studies);
    const body: StudiesResponse = {
      storage: ctx.storage.url,
      experiments: groupByExperiment(studies, (s) => paretos.get(s.studyId) ?? null),
    };
    res.json(body);
  });

  router.get("/api/studies/:id", async (req, res) => {
    checkQueryKeys(req.query, []);
    const study = await ctx.study(req.params.id);
    const body: StudyResponse = {
      study: studyJson(study.summary, paretoOf(study)),
      params: study.memoise("params", () => paramInfos(study.trials)),
      charts: kindsFor(study.summary, study.trials).map((kind) => {
        const { title, perObjective } = chartScope(kind);
        return { kind, title, perObjective };
      }),
      version: study.version,
      running: study.summary.counts.RUNNING + study.summary.counts.WAITING > 0,
      noteHtml: study.memoise("note-html", () => noteHtml(study.summary.systemAttrs)),
    };
    res.json(body);
  });

  router.get("/api/studies/:id/trials", async (req, res) => {
    const study = await ctx.study(req.params.id);
    const params = study.memoise("params", () => paramInfos(study.trials));
    const constraints = constraintColumnsOf(study);
    const q = parseTrialQuery(req.query, params, { objectives: study.summary.directions.length, constraints: constraints.length });
    // A study held whole is filtered in memory, once per version; one held as a sample, by the storage (in SQL).
    const fromStorage = study.sample ? storageTrialQuery(q) : null;
    let page: { trials: readonly TrialRecord[]; total: number };
    if (fromStorage) page = await ctx.storage.queryTrials(study.studyId, fromStorage);
    else {
      const selected = study.memoise(selectionKey(q), () => selectTrials(study.trials, q, constraints));
      page = { trials: selected.slice(q.offset, q.offset + q.limit), total: selected.length };
    }
    const body: TrialsResponse = {
      version: study.version,
      total: page.total,
      offset: q.offset,
      limit: q.limit,
      sort: q.sort,
      order: q.order,
      params: params.map((p) => p.name),
      objectives: objectiveTitles(study.summary),
      constraints: constraints.map((c) => c.label),
      rows: page.trials.map((t) => trialRowJson(t, constraints)),
    };
    if (page.total === 0 && q.where) {
      const scope = study.sample ? `none of ${study.sample.shown} trials sampled from ${study.sample.total}` : "no trial";
      const hint = unknownParamsHint(filterFields(q.where.filter), body.params, scope);
      if (hint) body.hint = hint;
    }
    res.json(body);
  });

  router.get("/api/studies/:id/trials/:number", async (req, res) => {
    checkQueryKeys(req.query, []);
    const number = pathInt(req.params.number, "number");
    const study = await ctx.study(req.params.id);
    // Held whole, the study has it; held as a sample, the storage reads that one trial by its number.
    const held = study.sample ? undefined : study.trials[number]?.number === number ? study.trials[number] : undefined;
    const trial = held ?? (await ctx.storage.getTrialByNumber(study.studyId, number));
    if (!trial)
      throw notFound(`Study ${study.summary.studyId} has no trial number ${number} (it has ${study.total} trials, numbered from 0).`);
    const body: TrialResponse = {
      trial: trialJson(trial, study.summary),
      trialCount: study.total,
      intermediateChart: trialIntermediateChart(trial),
    };
    res.json(body);
  });

  router.get("/api/studies/:id/export", async (req, res) => {
    checkQueryKeys(req.query, ["format"]);
    const format = enumValue(req.query, "format", ["csv", "json"] as const, "csv");
    const study = await ctx.study(req.params.id);
    const objectives = study.summary.directions.length;
    const write = (trials: readonly TrialRecord[]) => (format === "csv" ? trialsToCsv(trials, { objectives }) : trialsToJson(trials));
    // The export is of every trial: a study held as a sample is read whole for it, once per request
    // and not kept (the one read that grows with the study; the CSV's columns need every trial's params).
    const text = study.sample
      ? write(await ctx.storage.getAllTrials(study.studyId))
      : study.memoise(`export-${format}`, () => write(study.trials));
    res.type(format === "csv" ? "text/csv" : "application/json");
    res.attachment(`${safeFileName(study.summary.name)}.${format}`);
    res.send(text);
  });

  return router;
}

/**
 * The front's summary of each study with several objectives, which takes its trials: read
 * through the study cache (incrementally, memoised per version). A study deleted since the
 * list was read is left out.
 */
async function paretoSummaries(ctx: ServerContext, studies: readonly StudySummary[]): Promise<Map<number, ParetoSummary | null>> {
  const found = new Map<number, ParetoSummary | null>();
  for (const s of studies) {
    if (!isMultiObjective(s)) continue;
    try {
      found.set(s.studyId, paretoOf(await ctx.studyById(s.studyId)));
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) throw error;
    }
  }
  return found;
}

/** A file name made of safe characters only (the study name may hold anything). */
function safeFileName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(0, 80);
  return safe || "study";
}
