import { NotFoundError, TunebookError, ValueError } from "../../core/errors.js";
import type { ApiError } from "./types.js";

/** An error answered with its own HTTP status and a JSON body naming what was wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The query or path parameter at fault. */
    readonly param?: string,
    /** Where in the parameter's text the fault is (a filter's). */
    readonly span?: { position: number; length: number },
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** A bad path or query parameter: 400 naming it. */
export function badParam(param: string, message: string): HttpError {
  return new HttpError(400, message, param);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, message);
}

/**
 * The JSON body and status for any error a route threw. User mistakes keep their
 * message; anything else is a 500 with a fixed message (details go to the log, never
 * to the client: no stack traces, no paths).
 */
export function errorResponse(error: unknown): { status: number; body: ApiError; internal: boolean } {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: { error: { status: error.status, message: error.message, ...(error.param ? { param: error.param } : {}), ...error.span } },
      internal: false,
    };
  }
  if (error instanceof NotFoundError) return { status: 404, body: { error: { status: 404, message: error.message } }, internal: false };
  if (error instanceof ValueError) return { status: 400, body: { error: { status: 400, message: error.message } }, internal: false };
  if (error instanceof TunebookError) return { status: 500, body: { error: { status: 500, message: error.message } }, internal: false };
  // Express marks its own errors (e.g. a malformed URL) with a 4xx status.
  const status = typeof error === "object" && error !== null && "status" in error ? Number((error as { status: unknown }).status) : NaN;
  if (status >= 400 && status < 500)
    return { status, body: { error: { status, message: status === 404 ? "Not found." : "Bad request." } }, internal: false };
  return {
    status: 500,
    body: { error: { status: 500, message: "Internal error while answering this request; see the server's log." } },
    internal: true,
  };
}
