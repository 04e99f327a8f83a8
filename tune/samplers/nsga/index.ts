export {
  BLXAlphaCrossover,
  CROSSOVER_NAMES,
  type Crossover,
  type CrossoverContext,
  type CrossoverName,
  SBXCrossover,
  SPXCrossover,
  UNDXCrossover,
  UniformCrossover,
  VSBXCrossover,
} from "./crossovers.js";
export type { GeneticSamplerOptions } from "./genetic-sampler.js";
export { NSGAIISampler, type NSGAIISamplerOptions } from "./nsga2.js";
export { NSGAIIISampler, type NSGAIIISamplerOptions } from "./nsga3.js";
export { dasDennisPoints } from "./reference-points.js";
