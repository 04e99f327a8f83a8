import { Router } from "express";
import { trialsToCsv, trialsToJson } from "../../export.js";
import { trialIntermediateChart } from "../chart-specs.js";
import type { ServerContext } from "../context.js";
import { notFound } from "../http-errors.js";
import { checkQueryKeys, enumValue, pathInt } from "../query.js";
import { groupByExperiment, paramInfos, studyJson, trialJson, trialRowJson } from "../serialize.js";
import { parseTrialQuery, selectionKey, selectTrials } from "../trial-table.js";
import type { StudiesResponse, StudyResponse, TrialResponse, TrialsResponse } from "../types.js";

/** The studies list, one study, its trials (table, one trial, export). */
export function studiesRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get("/api/studies", async (req, res) => {
    checkQueryKeys(req.query, []);
    const studies = await ctx.listStudies();
    const body: StudiesResponse = { storage: ctx.storage.url, experiments: groupByExperiment(studies) };
    res.json(body);
  });

  router.get("/api/studies/:id", async (req, res) => {
    checkQueryKeys(req.query, []);
    const study = await ctx.study(req.params.id);
    const body: StudyResponse = {
      study: studyJson(study.summary),
      params: study.memoise("params", () => paramInfos(study.trials)),
      version: study.version,
      running: study.summary.counts.RUNNING + study.summary.counts.WAITING > 0,
    };
    res.json(body);
  });

  router.get("/api/studies/:id/trials", async (req, res) => {
    const study = await ctx.study(req.params.id);
    const params = study.memoise("params", () => paramInfos(study.trials));
    const q = parseTrialQuery(req.query, params);
    const selected = study.memoise(selectionKey(q), () => selectTrials(study.trials, q));
    const body: TrialsResponse = {
      version: study.version,
      total: selected.length,
      offset: q.offset,
      limit: q.limit,
      sort: q.sort,
      order: q.order,
      params: params.map((p) => p.name),
      rows: selected.slice(q.offset, q.offset + q.limit).map(trialRowJson),
    };
    res.json(body);
  });

  router.get("/api/studies/:id/trials/:number", async (req, res) => {
    checkQueryKeys(req.query, []);
    const number = pathInt(req.params.number, "number");
    const study = await ctx.study(req.params.id);
    const trial = study.trials[number]?.number === number ? study.trials[number] : study.trials.find((t) => t.number === number);
    if (!trial)
      throw notFound(
        `Study ${study.summary.studyId} has no trial number ${number} (it has ${study.trials.length} trials, numbered from 0).`,
      );
    const body: TrialResponse = {
      trial: trialJson(trial, study.summary),
      trialCount: study.trials.length,
      intermediateChart: trialIntermediateChart(trial),
    };
    res.json(body);
  });

  router.get("/api/studies/:id/export", async (req, res) => {
    checkQueryKeys(req.query, ["format"]);
    const format = enumValue(req.query, "format", ["csv", "json"] as const, "csv");
    const study = await ctx.study(req.params.id);
    const text = study.memoise(`export-${format}`, () => (format === "csv" ? trialsToCsv(study.trials) : trialsToJson(study.trials)));
    res.type(format === "csv" ? "text/csv" : "application/json");
    res.attachment(`${safeFileName(study.summary.name)}.${format}`);
    res.send(text);
  });

  return router;
}

/** A file name made of safe characters only (the study name may hold anything). */
function safeFileName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(0, 80);
  return safe || "study";
}
