import { show, ValueError } from "../../../core/errors.js";
import { NopPruner, type Pruner } from "./pruner.js";

/** Pruners that can be named in `createStudy({ pruner: "…" })` and `%%tune pruner=…`. */
export type PrunerName = "none";

/** The compiler checks that every name has a factory. */
const PRUNERS: Record<PrunerName, () => Pruner> = {
  none: () => new NopPruner(),
};

export const PRUNER_NAMES = Object.keys(PRUNERS) as PrunerName[];

export type PrunerSpec = Pruner | PrunerName;

export function resolvePruner(spec: PrunerSpec | undefined): Pruner {
  if (spec === undefined) return new NopPruner();
  if (typeof spec === "string") {
    const factory = PRUNERS[spec as PrunerName];
    if (!factory) throw new ValueError(`Unknown pruner ${show(spec)}; known pruners: ${PRUNER_NAMES.join(", ")}.`);
    return factory();
  }
  if (typeof spec !== "object" || typeof spec.prune !== "function") {
    throw new ValueError(`pruner must be a pruner name (${PRUNER_NAMES.join(", ")}) or a Pruner, got ${show(spec)}.`);
  }
  return spec;
}
