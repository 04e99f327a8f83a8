export { TPESampler, defaultGamma, hyperoptGamma, type TPESamplerOptions } from "./sampler.js";
export { defaultWeights } from "./parzen-estimator.js";
