import { Router } from "express";
import { readProvenance } from "../../../tune/provenance-record.js";
import { diffStudies } from "../../analysis/study-diff.js";
import type { ServerContext } from "../context.js";
import { badParam } from "../http-errors.js";
import { checkQueryKeys, oneValue, pathInt } from "../query.js";
import { noteHtml, studyJson } from "../serialize.js";
import type { DiffResponse, ProvenanceResponse } from "../types.js";

/** A study's provenance and note, and the difference between two studies. */
export function provenanceRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get("/api/studies/:id/provenance", async (req, res) => {
    checkQueryKeys(req.query, []);
    const study = await ctx.study(req.params.id);
    const body: ProvenanceResponse = study.memoise("provenance", () => ({
      study: studyJson(study.summary),
      provenance: readProvenance(study.summary.systemAttrs),
      noteHtml: noteHtml(study.summary.systemAttrs),
    }));
    res.json(body);
  });

  router.get("/api/diff", async (req, res) => {
    checkQueryKeys(req.query, ["a", "b"]);
    const ids = (["a", "b"] as const).map((key) => {
      const raw = oneValue(req.query, key);
      if (raw === undefined) throw badParam(key, `Query parameter "${key}" is required: /api/diff?a=<study id>&b=<study id>.`);
      return pathInt(raw, key);
    });
    // One after the other: the cache may drop one study to make room for the other.
    const a = await ctx.studyById(ids[0]);
    const sa = { summary: a.summary, trials: a.trials };
    const b = await ctx.studyById(ids[1]);
    const body: DiffResponse = {
      a: studyJson(sa.summary),
      b: studyJson(b.summary),
      diff: diffStudies(sa, { summary: b.summary, trials: b.trials }),
    };
    res.json(body);
  });

  return router;
}
