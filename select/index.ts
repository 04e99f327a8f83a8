/**
 * Honest model selection, `import ... from "tunebook/select"`: estimates that tuning
 * did not see — nested cross-validation and a locked test set. Built on the engine
 * (tune) and the evaluation library (learn).
 */
export {};
