import { Router } from "express";
import type { ServerContext } from "../context.js";

export function refineRoutes(_ctx: ServerContext): Router {
  return Router();
}
