/**
 * A trial's artifacts (tune/artifacts.ts): the list with file sizes, and each file
 * as a download. Read-only. The file is found only through the trial's own records:
 * the id in the path must have a UUID's form and be one of that trial's artifacts,
 * and the path on disk is built from that record's id, never from raw input.
 */
import { Router } from "express";
import { TunebookError } from "../../../core/errors.js";
import type { TrialRecord } from "../../../core/records.js";
import { type ArtifactMeta, artifactStore, artifactsOf, type FileSystemArtifactStore, isArtifactId } from "../../../tune/artifacts.js";
import type { ServerContext } from "../context.js";
import { badParam, notFound } from "../http-errors.js";
import { checkQueryKeys, pathInt } from "../query.js";
import type { ArtifactsResponse } from "../types.js";

/** `folder`: the artifact folder; default: next to an SQLite database, else $TUNEBOOK_ARTIFACTS. */
export function artifactsRoutes(ctx: ServerContext, folder?: string): Router {
  const router = Router();
  const store = (): FileSystemArtifactStore => artifactStore(ctx.storage, { artifacts: folder });

  /** The trial, read afresh (artifacts may be added after it finished; a large study's cache holds only a sample). */
  async function trialOf(rawId: string, rawNumber: string): Promise<TrialRecord> {
    const number = pathInt(rawNumber, "number");
    const study = await ctx.study(rawId);
    const trial = await ctx.storage.getTrialByNumber(study.studyId, number);
    if (!trial) throw notFound(`Study ${study.summary.studyId} has no trial number ${number}.`);
    return trial;
  }

  router.get("/api/studies/:id/trials/:number/artifacts", async (req, res) => {
    checkQueryKeys(req.query, []);
    const trial = await trialOf(req.params.id, req.params.number);
    const metas = artifactsOf(trial);
    let files: FileSystemArtifactStore | undefined;
    let problem: string | null = null;
    try {
      files = store();
    } catch (error) {
      if (!(error instanceof TunebookError)) throw error;
      problem = error.message;
    }
    const base = `/api/studies/${req.params.id}/trials/${trial.number}/artifacts/`;
    const body: ArtifactsResponse = {
      artifacts: await Promise.all(
        metas.map(async (meta) => ({ ...meta, size: files ? await files.size(meta.artifactId) : null, href: base + meta.artifactId })),
      ),
      problem,
    };
    res.setHeader("Cache-Control", "no-store");
    res.json(body);
  });

  router.get("/api/studies/:id/trials/:number/artifacts/:artifactId", async (req, res, next) => {
    checkQueryKeys(req.query, []);
    const raw = req.params.artifactId;
    if (!isArtifactId(raw)) throw badParam("artifactId", `Path parameter "artifactId" must be an artifact id (a lowercase UUID).`);
    const trial = await trialOf(req.params.id, req.params.number);
    const meta: ArtifactMeta | undefined = artifactsOf(trial).find((m) => m.artifactId === raw);
    if (!meta) throw notFound(`Trial ${trial.number} has no artifact ${raw}.`);
    const path = store().path(meta.artifactId);
    res.attachment(safeFileName(meta.filename));
    res.setHeader("Content-Type", /^[\w.+-]+\/[\w.+-]+$/.test(meta.mimetype) ? meta.mimetype : "application/octet-stream");
    res.sendFile(path, { cacheControl: false, headers: { "Cache-Control": "no-store" } }, (error) => {
      if (!error) return;
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && !res.headersSent) {
        res.removeHeader("Content-Disposition");
        next(notFound(`The file of artifact ${meta.artifactId} (${safeFileName(meta.filename)}) is not in the artifact folder.`));
      } else next(error);
    });
  });

  return router;
}

/** The name a download is saved as: safe characters only (the uploaded name may hold anything). */
export function safeFileName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(0, 100);
  return safe || "artifact";
}
