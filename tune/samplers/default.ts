import { checkOptionKeys } from "../../core/errors.js";
import type { TrialRecord, TrialState } from "../../core/records.js";
import { checkSeed, Rng } from "../../core/rng.js";
import type { Distribution } from "../distributions.js";
import { GPSampler } from "./gp/index.js";
import { QMCSampler } from "./qmc.js";
import type { InternalParams, Sampler, StudyView } from "./sampler.js";
import { IntersectionSearchSpace } from "./search-space.js";
import { TPESampler } from "./tpe/index.js";

export interface DefaultSamplerOptions {
  /** Seed for every sampler it uses (default: random, not repeatable). */
  seed?: number;
}

/**
 * The sampler a study uses when none is given. The rule:
 *
 * 1. **Start with a space-filling design.** The first trials come from a scrambled
 *    Sobol sequence over the space of the first trial (the very first one is drawn at
 *    random), covering the space evenly instead of leaving clumps and holes. Their
 *    number grows with the number d of parameters seen: max(5, min(2d, 10)) + 1.
 * 2. **Small budgets, small numeric spaces: Gaussian-process BO.** While the study has
 *    fewer than 100 finished trials and the parameters shared by all trials are at most
 *    12, none of them conditional, with no categorical parameter of more than 16 choices,
 *    a GPSampler suggests them (log expected improvement). A GP learns the most from
 *    each trial, at tens of milliseconds per suggestion — little next to an objective
 *    that trains a model, but growing with the trials, hence the limit; by then the GP
 *    has found the good region, and TPE goes on refining it from all the trials so far.
 * 3. **Otherwise, TPE.** Larger studies, larger or conditional spaces go to a
 *    TPESampler (its defaults, with the constant liar so parallel workers spread
 *    out), which costs about half a millisecond per suggestion even at a thousand
 *    trials and handles conditional parameters natively. In this role its per-parameter form and
 *    the joint one (`multivariate`, `group`) measured about even on the benchmark
 *    (after the GP, to 200 trials: better on some objectives, worse on others), so the
 *    simpler one stays.
 *
 * Parameters outside the joint space (conditional ones, new ones) are drawn
 * quasi-randomly during the design and by the TPE after it.
 *
 * **Several objectives, constraints.** With two objectives the same rule: the GP then
 * suggests by log expected hypervolume improvement. With three or more, TPE follows the
 * design: its Pareto-front split beat the GP's EHVI on DTLZ2 (3 objectives) at 50 and 100
 * trials, on fresh seeds too, and costs a hundredth of it. The GP and TPE both steer away
 * from infeasible trials. NSGA-II and NSGA-III (`"nsga2"`, `"nsga3"`) are there by name
 * for budgets of thousands of trials:
 * their random first generation of 50 trials leaves them behind the GP and TPE at the
 * budgets a notebook runs (measured on ZDT1 at 100–200 trials). Each trial records which
 * sampler served it in its system attribute `tunebook:sampler`.
 */
export function defaultSampler(options: DefaultSamplerOptions = {}): Sampler {
  return new DefaultSampler(options);
}

const GP_MAX_TRIALS = 100;
const GP_MAX_DIMENSION = 12;
const GP_MAX_CHOICES = 16;
const GP_MAX_OBJECTIVES = 2;
/** The trial attribute naming the sampler that served it. */
const SERVED_BY = "tunebook:sampler";

type Phase = "design" | "gp" | "tpe";

export class DefaultSampler implements Sampler {
  readonly name = "default";
  readonly multiObjective = true;
  private readonly qmc: QMCSampler;
  private readonly gp: GPSampler;
  private readonly tpe: TPESampler;
  private readonly shared = new IntersectionSearchSpace();
  /** Which sampler serves each running trial (by trial id), decided when its joint sample is drawn. */
  private readonly phaseOf = new Map<number, Phase>();

  constructor(options: DefaultSamplerOptions = {}) {
    checkOptionKeys("defaultSampler", options, ["seed"]);
    const seeds = new Rng(checkSeed("defaultSampler", options.seed));
    this.qmc = new QMCSampler({ seed: seeds.seed() });
    this.gp = new GPSampler({ seed: seeds.seed(), nStartupTrials: 0 });
    this.tpe = new TPESampler({ seed: seeds.seed(), nStartupTrials: 0, constantLiar: true });
  }

  inferRelativeSearchSpace(study: StudyView, trial: TrialRecord): Record<string, Distribution> {
    const phase = this.choosePhase(study);
    this.phaseOf.set(trial.trialId, phase);
    study.setTrialSystemAttr?.(trial, SERVED_BY, this.sampler(phase).name);
    return this.sampler(phase).inferRelativeSearchSpace(study, trial);
  }

  sampleRelative(study: StudyView, trial: TrialRecord, searchSpace: Record<string, Distribution>): InternalParams {
    return this.sampler(this.phaseOf.get(trial.trialId) ?? "tpe").sampleRelative(study, trial, searchSpace);
  }

  sampleIndependent(study: StudyView, trial: TrialRecord, name: string, distribution: Distribution): number {
    const phase = this.phaseOf.get(trial.trialId) ?? "tpe";
    // Conditional and new parameters: quasi-random in the design phase, TPE after it.
    return (phase === "design" ? this.qmc : this.tpe).sampleIndependent(study, trial, name, distribution);
  }

  afterTrial(study: StudyView, trial: TrialRecord, state: TrialState, values: readonly number[] | null): void {
    const phase = this.phaseOf.get(trial.trialId);
    this.phaseOf.delete(trial.trialId);
    if (phase !== undefined) this.sampler(phase).afterTrial?.(study, trial, state, values);
  }

  private sampler(phase: Phase): Sampler {
    return phase === "design" ? this.qmc : phase === "gp" ? this.gp : this.tpe;
  }

  private choosePhase(study: StudyView): Phase {
    const finished = study.trials(["COMPLETE", "PRUNED"]);
    // Past the GP's limit (and so past any design): TPE, without looking at the trials.
    if (finished.length >= Math.max(GP_MAX_TRIALS, designSize(Infinity))) return "tpe";
    // Every parameter seen so far, conditional ones included, sets the design's size.
    const names = new Set<string>();
    for (const t of finished) for (const name of Object.keys(t.distributions)) names.add(name);
    if (finished.length < designSize(names.size)) return "design";
    const space = this.shared.calculate(study);
    const dimension = Object.keys(space).length;
    if (finished.length >= GP_MAX_TRIALS || dimension === 0 || dimension > GP_MAX_DIMENSION) return "tpe";
    if (study.directions.length > GP_MAX_OBJECTIVES) return "tpe";
    // A parameter some trials lack is conditional: the GP would leave it to chance, TPE models it.
    if (names.size > dimension) return "tpe";
    for (const d of Object.values(space)) if (d.kind === "categorical" && d.choices.length > GP_MAX_CHOICES) return "tpe";
    return "gp";
  }
}

/** Space-filling trials before a model is fitted, by the dimension of the shared space. */
export function designSize(dimension: number): number {
  return Math.max(5, Math.min(2 * dimension, 10)) + 1;
}
