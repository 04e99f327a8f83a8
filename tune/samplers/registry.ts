import { closest, show, ValueError } from "../../core/errors.js";
import { CmaEsSampler } from "./cmaes/index.js";
import { DefaultSampler } from "./default.js";
import { GPSampler } from "./gp/index.js";
import { NSGAIIISampler, NSGAIISampler } from "./nsga/index.js";
import { QMCSampler } from "./qmc.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";
import { TPESampler } from "./tpe/index.js";

/** Samplers that can be named in `createStudy({ sampler: "…" })` and `%%tune sampler=…`. */
export type SamplerName = "default" | "random" | "qmc" | "qmc-halton" | "tpe" | "gp" | "cmaes" | "nsga2" | "nsga3";

/** The compiler checks that every name has a factory; each builds with its defaults. */
const SAMPLERS: Record<SamplerName, (seed: number | undefined) => Sampler> = {
  default: (seed) => new DefaultSampler({ seed }),
  random: (seed) => new RandomSampler({ seed }),
  qmc: (seed) => new QMCSampler({ seed }),
  "qmc-halton": (seed) => new QMCSampler({ seed, qmcType: "halton" }),
  tpe: (seed) => new TPESampler({ seed }),
  gp: (seed) => new GPSampler({ seed }),
  cmaes: (seed) => new CmaEsSampler({ seed }),
  nsga2: (seed) => new NSGAIISampler({ seed }),
  nsga3: (seed) => new NSGAIIISampler({ seed }),
};

export const SAMPLER_NAMES = Object.keys(SAMPLERS) as SamplerName[];

export type SamplerSpec = Sampler | SamplerName;

/**
 * The sampler for `spec`; none given means the default sampler (see `DefaultSampler`).
 * `seed` applies to samplers built here, by name; a sampler instance keeps its own.
 */
export function resolveSampler(spec: SamplerSpec | undefined, seed?: number): Sampler {
  if (spec === undefined) return SAMPLERS.default(seed);
  if (typeof spec === "string") {
    const factory = SAMPLERS[spec as SamplerName];
    if (!factory) {
      const hint =
        (spec as string) === "grid"
          ? " A grid needs its values: pass new GridSampler({ name: [values...] })."
          : closest(spec, SAMPLER_NAMES)
            ? ` Did you mean ${show(closest(spec, SAMPLER_NAMES))}?`
            : "";
      throw new ValueError(`Unknown sampler ${show(spec)}; known samplers: ${SAMPLER_NAMES.join(", ")}.${hint}`);
    }
    return factory(seed);
  }
  if (typeof spec !== "object" || spec === null || typeof spec.sampleIndependent !== "function") {
    throw new ValueError(`sampler must be a sampler name (${SAMPLER_NAMES.join(", ")}) or a Sampler, got ${show(spec)}.`);
  }
  return spec;
}
