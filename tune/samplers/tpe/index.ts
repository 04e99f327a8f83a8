export { defaultWeights } from "./parzen-estimator.js";
export { defaultGamma, hyperoptGamma, OPTUNA_TPE_DEFAULTS, TPESampler, type TPESamplerOptions } from "./sampler.js";
