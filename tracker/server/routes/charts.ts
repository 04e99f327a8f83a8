import { Router } from "express";
import { show } from "../../../core/errors.js";
import { isStudyChartKind } from "../../charts/study-charts.js";
import { STUDY_CHART_KINDS, studyChart } from "../chart-specs.js";
import type { ServerContext } from "../context.js";
import { badParam } from "../http-errors.js";
import { checkQueryKeys, intValue } from "../query.js";
import type { ChartResponse } from "../types.js";

/**
 * One chart of the study page per request, so the page draws each as soon as it is ready;
 * `?objective=<i>` picks the objective of the charts that draw one.
 */
export function chartsRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/studies/:id/charts/:kind", async (req, res) => {
    checkQueryKeys(req.query, ["objective"]);
    const kind = req.params.kind;
    if (!isStudyChartKind(kind)) throw badParam("kind", `No chart ${show(kind)}; the charts are ${STUDY_CHART_KINDS.join(", ")}.`);
    const study = await ctx.study(req.params.id);
    const count = study.summary.directions.length;
    const objective = intValue(req.query, "objective", 0, 0, count - 1);
    const built = studyChart(kind, study, objective);
    const body: ChartResponse = {
      kind,
      objective,
      version: study.version,
      spec: built.spec,
      ...(built.note ? { note: built.note } : {}),
    };
    res.json(body);
  });
  return router;
}
