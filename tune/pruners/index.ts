import { closest, show, ValueError } from "../../core/errors.js";
import { HyperbandPruner, type HyperbandPrunerOptions } from "./hyperband.js";
import { MedianPruner, type MedianPrunerOptions } from "./median.js";
import { PatientPruner, type PatientPrunerOptions } from "./patient.js";
import { PercentilePruner, type PercentilePrunerOptions } from "./percentile.js";
import { NopPruner, type Pruner } from "./pruner.js";
import { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from "./successive-halving.js";
import { ThresholdPruner, type ThresholdPrunerOptions } from "./threshold.js";
import { WilcoxonPruner, type WilcoxonPrunerOptions } from "./wilcoxon.js";

export { countBrackets, HyperbandPruner, type HyperbandPrunerOptions } from "./hyperband.js";
export { MedianPruner, type MedianPrunerOptions } from "./median.js";
export { PatientPruner, type PatientPrunerOptions } from "./patient.js";
export { nanPercentile, PercentilePruner, type PercentilePrunerOptions } from "./percentile.js";
export { NopPruner, type Pruner } from "./pruner.js";
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from "./successive-halving.js";
export { ThresholdPruner, type ThresholdPrunerOptions } from "./threshold.js";
export { WilcoxonPruner, type WilcoxonPrunerOptions } from "./wilcoxon.js";

/** The options each pruner takes when built by name. */
export interface PrunerOptionsByName {
  none: Record<string, never>;
  median: MedianPrunerOptions;
  percentile: PercentilePrunerOptions & { /** Required, in [0, 100]. */ percentile: number };
  "successive-halving": SuccessiveHalvingPrunerOptions;
  hyperband: HyperbandPrunerOptions;
  threshold: ThresholdPrunerOptions;
  /** `wrapped`: the pruner that decides once the trial has stalled (default none: prune). */
  patient: PatientPrunerOptions & { wrapped?: Pruner | null };
  wilcoxon: WilcoxonPrunerOptions;
}

export type PrunerName = keyof PrunerOptionsByName;

type PrunerFactory<K extends PrunerName> = (options?: PrunerOptionsByName[K]) => Pruner;

/** Pruners by the name stored with a study; a name without a factory does not compile. */
export const PRUNERS: { readonly [K in PrunerName]: PrunerFactory<K> } = {
  none: () => new NopPruner(),
  median: (options) => new MedianPruner(options),
  percentile: (options) => {
    const { percentile, ...rest } = options ?? ({} as Partial<PrunerOptionsByName["percentile"]>);
    return new PercentilePruner(percentile as number, rest);
  },
  "successive-halving": (options) => new SuccessiveHalvingPruner(options),
  hyperband: (options) => new HyperbandPruner(options),
  threshold: (options) => new ThresholdPruner(options ?? {}),
  patient: (options) => {
    const { wrapped, ...rest } = options ?? ({} as Partial<PrunerOptionsByName["patient"]>);
    return new PatientPruner(wrapped ?? null, rest as PatientPrunerOptions);
  },
  wilcoxon: (options) => new WilcoxonPruner(options),
};

/** Checks the registry's record type: every name has a factory. */
const _complete: Record<PrunerName, (options?: never) => Pruner> = PRUNERS;
void _complete;

export const PRUNER_NAMES = Object.keys(PRUNERS) as PrunerName[];

/** Builds a pruner by name, e.g. `createPruner("hyperband", { maxResource: 81 })`. */
export function createPruner<K extends PrunerName>(name: K, options?: PrunerOptionsByName[K]): Pruner {
  if (!Object.hasOwn(PRUNERS, name)) {
    const hint = typeof name === "string" ? closest(name, PRUNER_NAMES) : undefined;
    throw new ValueError(
      `unknown pruner ${show(name)}.${hint ? ` Did you mean ${show(hint)}?` : ` Known pruners: ${PRUNER_NAMES.join(", ")}.`}`,
    );
  }
  return (PRUNERS[name] as PrunerFactory<K>)(options);
}

/** What `createStudy({ pruner })` accepts: a pruner, or the name of one built with its defaults. */
export type PrunerSpec = Pruner | PrunerName;

/** The pruner for `spec`; none given means no pruning. */
export function resolvePruner(spec: PrunerSpec | undefined): Pruner {
  if (spec === undefined) return new NopPruner();
  if (typeof spec === "string") return createPruner(spec);
  if (spec === null || typeof spec !== "object" || typeof (spec as Pruner).prune !== "function") {
    throw new ValueError(`pruner must be a pruner name (${PRUNER_NAMES.join(", ")}) or a Pruner, got ${show(spec)}.`);
  }
  return spec;
}
