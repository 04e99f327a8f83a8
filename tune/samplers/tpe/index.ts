export { TPESampler, OPTUNA_TPE_DEFAULTS, defaultGamma, hyperoptGamma, type TPESamplerOptions } from "./sampler.js";
export { defaultWeights } from "./parzen-estimator.js";
