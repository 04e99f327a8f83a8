import type { Rng } from "../../../core/rng.js";
import { SobolSequence } from "../qmc.js";
import { SOBOL_MAX_DIMENSION } from "../sobol-directions.js";
import type { UnitDesign } from "./optimize-acquisition.js";

/** Independent uniform points of the unit cube. */
export function randomDesign(rng: Rng): UnitDesign {
  return (count, dims) => {
    const out = new Float64Array(count * dims);
    for (let i = 0; i < out.length; i++) out[i] = rng.random();
    return out;
  };
}

/**
 * The first points of a freshly scrambled Sobol sequence (each call scrambled anew from
 * `rng`): candidates spread evenly, without the clumps and holes of uniform draws.
 */
export function sobolDesign(rng: Rng): UnitDesign {
  return (count, dims) => {
    if (dims > SOBOL_MAX_DIMENSION) return randomDesign(rng)(count, dims);
    const sequence = new SobolSequence(dims, { seed: rng.seed() });
    const out = new Float64Array(count * dims);
    const point = new Float64Array(dims);
    for (let i = 0; i < count; i++) {
      sequence.point(i, point);
      out.set(point, i * dims);
    }
    return out;
  };
}
