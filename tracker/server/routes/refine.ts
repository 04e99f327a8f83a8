import { Router } from "express";
import { ValueError } from "../../../core/errors.js";
import { objectiveTitles } from "../../analysis/objectives.js";
import { refineSearchSpace } from "../../analysis/refine.js";
import type { ServerContext } from "../context.js";
import { checkQueryKeys, intValue, numberValue } from "../query.js";
import { studyJson } from "../serialize.js";
import type { RefineResponse } from "../types.js";

/** A narrowed search space from the study's top trials, with the code to start the next study. */
export function refineRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/studies/:id/refine", async (req, res) => {
    checkQueryKeys(req.query, ["quantile", "minTrials", "margin"]);
    const quantile = numberValue(req.query, "quantile", 0.2, Number.MIN_VALUE, 1);
    const minTrials = intValue(req.query, "minTrials", 5, 1, 1_000_000);
    const margin = numberValue(req.query, "margin", 0.25, 0, 10);
    const study = await ctx.study(req.params.id);
    const body: RefineResponse = study.memoise(`refine-${quantile}-${minTrials}-${margin}`, () => {
      const { directions } = study.summary;
      if (directions.length > 1) {
        return {
          study: studyJson(study.summary),
          refined: null,
          note: `Refining keeps the best trials of one objective; this study has ${directions.length} (${objectiveTitles(study.summary).join(", ")}), whose best trials are a Pareto front: see its chart on the study page.`,
        };
      }
      try {
        return {
          study: studyJson(study.summary),
          refined: refineSearchSpace(study.trials, study.summary.direction, { quantile, minTrials, margin }),
        };
      } catch (error) {
        // The options were checked above, so this is the study not being ready (no COMPLETE trial yet).
        if (!(error instanceof ValueError)) throw error;
        return { study: studyJson(study.summary), refined: null, note: error.message };
      }
    });
    res.json(body);
  });
  return router;
}
