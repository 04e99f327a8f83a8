import { Router } from "express";
import { show } from "../../../core/errors.js";
import { isStudyChartKind } from "../../charts/study-charts.js";
import { STUDY_CHART_KINDS, studyChart } from "../chart-specs.js";
import type { ServerContext } from "../context.js";
import { badParam } from "../http-errors.js";
import { checkQueryKeys } from "../query.js";
import type { ChartResponse } from "../types.js";

/** One chart of the study page per request, so the page draws each as soon as it is ready. */
export function chartsRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/studies/:id/charts/:kind", async (req, res) => {
    checkQueryKeys(req.query, []);
    const kind = req.params.kind;
    if (!isStudyChartKind(kind)) throw badParam("kind", `No chart ${show(kind)}; the charts are ${STUDY_CHART_KINDS.join(", ")}.`);
    const study = await ctx.study(req.params.id);
    const built = studyChart(kind, study);
    const body: ChartResponse = { kind, version: study.version, spec: built.spec, ...(built.note ? { note: built.note } : {}) };
    res.json(body);
  });
  return router;
}
