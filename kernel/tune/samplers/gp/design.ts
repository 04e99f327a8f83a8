import type { Rng } from "../../../../core/rng.js";
import type { UnitDesign } from "./optimize-acquisition.js";

/** Independent uniform points of the unit cube. */
export function randomDesign(rng: Rng): UnitDesign {
  return (count, dims) => {
    const out = new Float64Array(count * dims);
    for (let i = 0; i < out.length; i++) out[i] = rng.random();
    return out;
  };
}
