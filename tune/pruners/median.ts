import { PercentilePruner, type PercentilePrunerOptions } from "./percentile.js";

export type MedianPrunerOptions = PercentilePrunerOptions;

/**
 * The median stopping rule (Optuna's MedianPruner): prune a trial whose best value so
 * far is worse than the median of the values COMPLETE trials reported at the same step.
 */
export class MedianPruner extends PercentilePruner {
  override readonly name: string = "median";

  constructor(options: MedianPrunerOptions = {}) {
    super(50, options);
  }
}
