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
 * on a loopback address must not answer a page that rebinds its own domain name to
 * that address (DNS rebinding) and would otherwise read the API from the user's
 * browser. Hosts are compared as a URL names them (case, IPv6 spelling, port 80). The
 * array is read per request, so its owner may fill it once the port is known; the
 * first entry is where the UI is.
 */
export function hostCheck(allowed: readonly string[] | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = (req.headers.host ?? "").toLowerCase();
    const canonical = canonicalHost(host);
    if (!allowed || (canonical !== null && allowed.some((h) => canonicalHost(h) === canonical))) {
      next();
      return;
    }
    const home = allowed[0] ? `http://${allowed[0]}/` : "its own address";
    next(
      new HttpError(421, `Host ${JSON.stringify(host)} is not served here: this UI answers only requests addressed to it; open ${home}.`),
    );
  };
}

/** A Host header as a URL names it; null unless it is a bare host with an optional port. */
function canonicalHost(header: string): string | null {
  let url: URL;
  try {
    url = new URL(`http://${header}`);
  } catch {
    return null;
  }
  // Anything beyond host and port (user, path, query) shows in the full URL.
  return url.host !== "" && url.href === `http://${url.host}/` ? url.host : null;
}
