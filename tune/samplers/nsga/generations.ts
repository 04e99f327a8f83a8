/**
 * Generations as Optuna 3.1's NSGA-II keeps them: each trial records the generation it
 * belongs to in its system attribute `<prefix>:generation` (`nsga2:generation`,
 * `nsga3:generation`) when it starts. Generation g + 1 starts once g has `populationSize`
 * COMPLETE trials; its parents are the elite chosen from g's COMPLETE trials and g's own
 * parents. Trials still running, PRUNED or FAIL are not parents; trials without the
 * attribute (another sampler's, or added by hand) are not in any generation.
 *
 * Optuna also caches each generation's elite in a study system attribute
 * (`nsga2:population:<hash>`); that is only a cache, which it recomputes when missing, so
 * tunebook keeps it in memory instead and a study either wrote continues with the other.
 */
import type { JsonValue, StudyDirection, TrialRecord } from "../../../core/records.js";
import type { StudyView } from "../sampler.js";

/** Chooses the `populationSize` parents of the next generation from `population` (a generation and its parents). */
export type EliteSelection = (
  population: readonly TrialRecord[],
  directions: readonly StudyDirection[],
  generation: number,
) => TrialRecord[];

export interface ParentPopulation {
  /** The generation the parents come from; -1 while generation 0 is being filled. */
  generation: number;
  /** The elite of that generation (empty for -1). */
  parents: readonly TrialRecord[];
}

/**
 * A study view that can record a system attribute of the trial being started, as Optuna's
 * samplers do through `study._storage.set_trial_system_attr`. The engine's StudyView
 * offers it when it persists such attributes (see `recordOnTrial`).
 */
interface RecordingStudyView extends StudyView {
  setTrialSystemAttr(trial: TrialRecord, key: string, value: JsonValue): void;
}

/**
 * Records `key` = `value` on a trial being started: on its record at once (so this
 * process's later trials see it) and, where the study view can write, in storage too.
 */
export function recordOnTrial(study: StudyView, trial: TrialRecord, key: string, value: JsonValue): void {
  trial.systemAttrs[key] = value;
  const writer = (study as Partial<RecordingStudyView>).setTrialSystemAttr;
  if (typeof writer === "function") writer.call(study, trial, key, value);
}

/** Where a study's generations stood at the last call: recomputed from the first one whose members changed. */
interface Chain {
  /** Per generation: the numbers of its COMPLETE members and of the elite chosen from them and the previous elite. */
  links: { members: number[]; elite: number[] }[];
}

/** The generation bookkeeping of one genetic sampler, for any number of studies. */
export class Generations {
  /** By study view: one per study object, so two studies of the same name in two storages never mix. */
  private readonly chains = new WeakMap<StudyView, Chain>();

  constructor(
    /** The system attribute holding a trial's generation, e.g. "nsga2:generation". */
    readonly key: string,
    private readonly populationSize: number,
    private readonly selectElite: EliteSelection,
  ) {}

  /** The generation a trial of `study` is in, if it has one. */
  generationOf(trial: TrialRecord): number | null {
    const value = Object.hasOwn(trial.systemAttrs, this.key) ? trial.systemAttrs[this.key] : undefined;
    return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
  }

  /** Optuna's `_collect_parent_population`: the last full generation and its elite. */
  parentPopulation(study: StudyView): ParentPopulation {
    const trials = study.trials();
    const byNumber = new Map<number, TrialRecord>();
    const complete: TrialRecord[][] = [];
    for (const trial of trials) {
      byNumber.set(trial.number, trial);
      const generation = this.generationOf(trial);
      if (generation === null || trial.state !== "COMPLETE" || trial.values === null || trial.values.length !== study.directions.length)
        continue;
      if (complete[generation] === undefined) complete[generation] = [];
      complete[generation].push(trial);
    }
    let chain = this.chains.get(study);
    if (!chain) {
      chain = { links: [] };
      this.chains.set(study, chain);
    }
    let parents: TrialRecord[] = [];
    let generation = 0;
    for (; (complete[generation]?.length ?? 0) >= this.populationSize; generation++) {
      const members = complete[generation];
      const cached = chain.links[generation];
      if (cached && sameNumbers(cached.members, members) && cached.elite.every((n) => byNumber.has(n))) {
        parents = cached.elite.map((n) => byNumber.get(n)!);
        continue;
      }
      // With several workers a generation can outgrow populationSize; its elite is still populationSize.
      parents = this.selectElite([...members, ...parents], study.directions, generation);
      chain.links.length = generation; // later generations were chosen from other parents
      chain.links.push({ members: members.map((t) => t.number), elite: parents.map((t) => t.number) });
    }
    return { generation: generation - 1, parents };
  }
}

function sameNumbers(numbers: readonly number[], trials: readonly TrialRecord[]): boolean {
  return numbers.length === trials.length && trials.every((t, i) => t.number === numbers[i]);
}
