import type { NextFunction, Request, Response } from "express";
import { HttpError } from "./http-errors.js";

/**
 * The page's Content-Security-Policy: scripts and styles only from this server.
 * No 'unsafe-eval': charts are embedded with vega's AST interpreter
 * (vega-interpreter, bundled in vega-embed) instead of generated functions. No
 * inline scripts and no inline <style> (vega-embed's default stylesheet is off).
 * Inline style *attributes* set through the DOM by vega's renderers are CSSOM
 * changes, which CSP allows.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  next();
}

/** Read-only: GET and HEAD are the only methods; anything else is 405 (nothing can change data). */
export function readOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.method === "GET" || req.method === "HEAD") {
    next();
    return;
  }
  res.setHeader("Allow", "GET, HEAD");
  next(new HttpError(405, `Method ${req.method} is not allowed: the tracker UI is read-only (GET and HEAD only).`));
}

/**
 * Refuses requests whose Host header is not one of `allowed` (when given): a server
 * on 127.0.0.1 must not answer a page that rebinds its own domain name to 127.0.0.1
 * (DNS rebinding) and would otherwise read the API from the user's browser. The
 * array is read per request, so its owner may fill it once the port is known.
 */
export function hostCheck(allowed: readonly string[] | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = (req.headers.host ?? "").toLowerCase();
    if (!allowed || allowed.some((h) => h.toLowerCase() === host)) {
      next();
      return;
    }
    next(new HttpError(421, `Host ${JSON.stringify(host)} is not served here; open the UI through ${allowed[0] ?? "its own address"}.`));
  };
}
