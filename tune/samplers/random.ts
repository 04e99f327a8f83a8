import { checkOptionKeys } from "../../core/errors.js";
import { checkSeed, Rng } from "../../core/rng.js";
import type { Distribution } from "../distributions.js";
import type { InternalParams, Sampler } from "./sampler.js";
import { snapToGrid } from "./search-space.js";

export interface RandomSamplerOptions {
  /** Seed of the generator (default: a random seed, not repeatable). */
  seed?: number;
}

/** Random search: every parameter drawn uniformly (log-uniformly on log scales), independently. */
export class RandomSampler implements Sampler {
  readonly name = "random";
  readonly multiObjective = true;
  private readonly rng: Rng;

  constructor(options: RandomSamplerOptions = {}) {
    checkOptionKeys("RandomSampler", options, ["seed"]);
    this.rng = new Rng(checkSeed("RandomSampler", options.seed));
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): InternalParams {
    return {};
  }

  sampleIndependent(_study: unknown, _trial: unknown, _name: string, distribution: Distribution): number {
    return sampleUniform(this.rng, distribution);
  }
}

/** One value (internal form) drawn uniformly from a distribution; always inside it, stepped floats exactly on a grid point. */
export function sampleUniform(rng: Rng, d: Distribution): number {
  if (d.kind === "categorical") return rng.integer(0, d.choices.length - 1);
  if (d.kind === "int") {
    if (d.log) {
      // Uniform in log space over [low - 0.5, high + 0.5], then rounded: each integer
      // gets the log-width of its own rounding interval, as in Optuna.
      const low = Math.log(d.low - 0.5 > 0 ? d.low - 0.5 : d.low);
      const value = Math.round(Math.exp(rng.uniform(low, Math.log(d.high + 0.5))));
      return Math.min(d.high, Math.max(d.low, value));
    }
    return d.low + d.step * rng.integer(0, Math.round((d.high - d.low) / d.step));
  }
  if (d.step !== null) {
    const k = rng.integer(0, Math.round((d.high - d.low) / d.step));
    return Math.min(d.high, Math.max(d.low, snapToGrid(d.low, d.step, k)));
  }
  if (d.log) return Math.min(d.high, Math.max(d.low, Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)))));
  return rng.uniform(d.low, d.high);
}
