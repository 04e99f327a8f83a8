import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Storage } from "../storage/storage.js";
import { isPageScript, pageScript } from "./assets.js";
import { type AppOptions, ServerContext } from "./context.js";
import { errorResponse, notFound } from "./http-errors.js";
import { type PageName, pageHtml } from "./pages.js";
import { checkQueryKeys, pathInt } from "./query.js";
import { artifactsRoutes } from "./routes/artifacts.js";
import { chartsRoutes } from "./routes/charts.js";
import { compareRoutes } from "./routes/compare.js";
import { provenanceRoutes } from "./routes/provenance.js";
import { refineRoutes } from "./routes/refine.js";
import { studiesRoutes } from "./routes/studies.js";
import { hostCheck, readOnly, securityHeaders } from "./security.js";
import { STYLE_CSS } from "./style.js";
import { resolveVendorFiles, VENDOR_PACKAGES, type VendorName } from "./vendor.js";

export type { AppOptions } from "./context.js";

/**
 * The tracker UI over one storage: a read-only JSON API under /api, pages that
 * fetch it, and the vega bundles from node_modules. The storage stays the caller's
 * to close.
 */
export function createApp(storage: Storage, options: AppOptions = {}): Express {
  const ctx = new ServerContext(storage, {
    refreshIntervalMs: options.refreshIntervalMs ?? 1000,
    pollMs: options.pollMs ?? 3000,
    maxCachedStudies: options.maxCachedStudies ?? 16,
    exactTrials: options.exactTrials,
    sampleTrials: options.sampleTrials,
  });
  const vendor = resolveVendorFiles();
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", "weak");
  app.use(securityHeaders);
  app.use(hostCheck(options.allowedHosts));
  app.use(readOnly);

  app.use(studiesRoutes(ctx));
  app.use(chartsRoutes(ctx));
  app.use(artifactsRoutes(ctx, options.artifacts));
  app.use(compareRoutes(ctx));
  app.use(refineRoutes(ctx));
  app.use(provenanceRoutes(ctx));

  const page = (name: PageName) => (req: Request, res: Response) => {
    // Ids in the path are checked here too, so a bad link answers 400 rather than an empty page.
    const { id, number } = req.params as Record<string, string | undefined>;
    if (id !== undefined) pathInt(id, "id");
    if (number !== undefined) pathInt(number, "number");
    res.type("html").setHeader("Cache-Control", "no-cache");
    res.send(pageHtml(name, { pollMs: ctx.options.pollMs }));
  };
  app.get("/", page("studies"));
  app.get("/studies/:id", page("study"));
  app.get("/studies/:id/trials", page("trials"));
  app.get("/studies/:id/trials/:number", page("trial"));
  app.get("/studies/:id/refine", page("refine"));
  app.get("/compare", page("compare"));
  app.get("/diff", page("diff"));

  app.get("/static/style.css", (req, res) => {
    checkQueryKeys(req.query, []);
    res.type("css").setHeader("Cache-Control", "no-cache");
    res.send(STYLE_CSS);
  });
  app.get("/static/:file", async (req, res) => {
    const match = /^([a-z-]+)\.js$/.exec(req.params.file);
    if (!match || !isPageScript(match[1])) throw notFound(`No static file ${JSON.stringify(req.params.file)}.`);
    const source = await pageScript(match[1]);
    res.type("js").setHeader("Cache-Control", "no-cache");
    res.send(source);
  });
  app.get("/vendor/:file", (req, res, next) => {
    const match = /^([a-z-]+)\.js$/.exec(req.params.file);
    if (!match || !Object.hasOwn(VENDOR_PACKAGES, match[1])) throw notFound(`No vendor file ${JSON.stringify(req.params.file)}.`);
    const file = vendor[match[1] as VendorName];
    res.setHeader("X-Package-Version", file.version);
    res.sendFile(file.path, { maxAge: "1d", headers: { "Content-Type": "text/javascript; charset=utf-8" } }, (error) => {
      if (error) next(error);
    });
  });

  app.use((req: Request) => {
    throw notFound(`Nothing at ${JSON.stringify(req.path)}. The pages start at / and the API at /api/studies.`);
  });
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, body, internal } = errorResponse(error);
    if (internal) console.error(`tunebook ui: ${req.method} ${req.originalUrl} failed:`, error);
    res.status(status).type("json").setHeader("Cache-Control", "no-store");
    res.send(JSON.stringify(body));
  });
  return app;
}
