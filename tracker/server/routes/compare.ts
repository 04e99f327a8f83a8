import { Router } from "express";
import type { ServerContext } from "../context.js";

export function compareRoutes(_ctx: ServerContext): Router {
  return Router();
}
