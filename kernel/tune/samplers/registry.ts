import { show, ValueError } from "../../../core/errors.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";

/** Samplers that can be named in `createStudy({ sampler: "…" })` and `%%tune sampler=…`. */
export type SamplerName = "random";

/** The compiler checks that every name has a factory. */
const SAMPLERS: Record<SamplerName, (seed: number | undefined) => Sampler> = {
  random: (seed) => new RandomSampler({ seed }),
};

export const SAMPLER_NAMES = Object.keys(SAMPLERS) as SamplerName[];

export type SamplerSpec = Sampler | SamplerName;

export function resolveSampler(spec: SamplerSpec | undefined, seed?: number): Sampler {
  if (spec === undefined) return new RandomSampler({ seed });
  if (typeof spec === "string") {
    const factory = SAMPLERS[spec as SamplerName];
    if (!factory) {
      const hint = spec === "grid" ? " A grid needs its values: pass new GridSampler({ name: [values...] })." : "";
      throw new ValueError(`Unknown sampler ${show(spec)}; known samplers: ${SAMPLER_NAMES.join(", ")}.${hint}`);
    }
    return factory(seed);
  }
  if (typeof spec !== "object" || typeof spec.sampleIndependent !== "function") {
    throw new ValueError(`sampler must be a sampler name (${SAMPLER_NAMES.join(", ")}) or a Sampler, got ${show(spec)}.`);
  }
  return spec;
}
