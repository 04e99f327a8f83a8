import { type JsonValue, type StudySummary, SYSTEM_ATTR, TRIAL_STATES, type TrialRecord } from "../../core/records.js";
import { noteOf, tagsOf } from "../../tune/notes.js";
import { describeTestSet, lockboxRecord } from "../../tune/test-set-record.js";
import { foldScores } from "../analysis/compare.js";
import { type ConstraintColumn, constraintColumns, feasibilityOf } from "../analysis/constraints.js";
import { objectiveTitles } from "../analysis/objectives.js";
import type { ParetoSummary } from "../analysis/pareto-front.js";
import { hasParam } from "../analysis/trial-params.js";
import { renderMarkdown } from "./markdown.js";
import type { ExperimentGroup, ParamInfo, ParetoJson, StudyJson, TestSetJson, TrialJson, TrialRowJson } from "./types.js";

/** Records → the JSON the API sends. Pure functions; the routes only choose what to send. */

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === "string" ? value : value == null ? null : JSON.stringify(value);
}

/** A study's JSON; `pareto` is the front's summary of a study with several objectives (null otherwise). */
export function studyJson(s: StudySummary, pareto: ParetoSummary | null = null): StudyJson {
  return {
    id: s.studyId,
    name: s.name,
    direction: s.direction,
    directions: [...s.directions],
    objectives: objectiveTitles(s),
    experiment: s.experiment,
    sampler: text(s.systemAttrs[SYSTEM_ATTR.sampler]),
    pruner: text(s.systemAttrs[SYSTEM_ATTR.pruner]),
    counts: { ...s.counts },
    total: TRIAL_STATES.reduce((sum, state) => sum + s.counts[state], 0),
    bestValue: s.bestValue,
    bestTrialNumber: s.bestTrialNumber,
    pareto: pareto === null ? null : paretoJson(pareto),
    datetimeStart: iso(s.datetimeStart),
    lastActivity: iso(s.lastActivity),
    userAttrs: s.userAttrs,
    testSet: testSetJson(s),
    tags: tagsOf(s.systemAttrs),
    note: noteOf(s.systemAttrs),
  };
}

/** A study's or trial's note as sanitised HTML, or null without one. */
export function noteHtml(systemAttrs: Record<string, JsonValue>): string | null {
  const note = noteOf(systemAttrs);
  return note === null ? null : renderMarkdown(note);
}

function testSetJson(s: StudySummary): TestSetJson | null {
  const record = lockboxRecord(s.systemAttrs);
  if (record === null) return null;
  return { rows: record.testRows, looks: record.looks.length, text: describeTestSet(record, (v) => String(Number(v.toPrecision(4)))) };
}

function paretoJson(p: ParetoSummary): ParetoJson {
  return {
    frontTrialNumbers: [...p.frontTrialNumbers],
    hypervolume: p.hypervolume,
    referencePoint: p.referencePoint,
    feasible: p.feasible,
    infeasible: p.infeasible,
  };
}

/**
 * Studies grouped by experiment (named experiments first, by name; then the rest), each
 * group by name; `paretoOf` gives the front's summary of a study with several objectives.
 */
export function groupByExperiment(
  studies: readonly StudySummary[],
  paretoOf: (s: StudySummary) => ParetoSummary | null = () => null,
): ExperimentGroup[] {
  const groups = new Map<string | null, StudyJson[]>();
  for (const s of studies) {
    const list = groups.get(s.experiment) ?? [];
    list.push(studyJson(s, paretoOf(s)));
    groups.set(s.experiment, list);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : byName(a, b)))
    .map(([experiment, list]) => ({ experiment, studies: list.sort((a, b) => byName(a.name, b.name)) }));
}

export function durationSeconds(t: TrialRecord): number | null {
  return t.datetimeStart && t.datetimeComplete ? (t.datetimeComplete.getTime() - t.datetimeStart.getTime()) / 1000 : null;
}

/** One row of the trials table; `constraints` are the study's constraint columns. */
export function trialRowJson(t: TrialRecord, constraints: readonly ConstraintColumn[] = []): TrialRowJson {
  return {
    number: t.number,
    state: t.state,
    value: t.value,
    values: t.values,
    constraints: constraints.map((c) => c.read(t)),
    feasible: feasibilityOf(t),
    params: t.params,
    datetimeStart: iso(t.datetimeStart),
    datetimeComplete: iso(t.datetimeComplete),
    durationSeconds: durationSeconds(t),
  };
}

export function trialJson(t: TrialRecord, study: StudySummary): TrialJson {
  const constraints = constraintColumns([t]);
  return {
    ...trialRowJson(t, constraints),
    constraintLabels: constraints.map((c) => c.label),
    trialId: t.trialId,
    studyId: study.studyId,
    studyName: study.name,
    direction: study.direction,
    directions: [...study.directions],
    objectives: objectiveTitles(study),
    distributions: t.distributions,
    intermediateValues: Object.entries(t.intermediateValues)
      .map(([step, value]) => ({ step: Number(step), value }))
      .sort((a, b) => a.step - b.step),
    foldScores: foldScores(t),
    userAttrs: t.userAttrs,
    systemAttrs: t.systemAttrs,
    error: t.error ?? text(t.systemAttrs[SYSTEM_ATTR.failReason]),
    noteHtml: noteHtml(t.systemAttrs),
  };
}

/** The parameters seen in a study's trials, with the latest distribution of each, by name. */
export function paramInfos(trials: readonly TrialRecord[]): ParamInfo[] {
  const seen = new Map<string, ParamInfo>();
  for (const t of trials) {
    for (const [name, distribution] of Object.entries(t.distributions)) {
      if (!hasParam(t, name)) continue;
      const info = seen.get(name);
      if (info) {
        info.count++;
        info.distribution = distribution;
      } else {
        seen.set(name, { name, distribution, kind: "float", log: false, count: 1 });
      }
    }
  }
  return [...seen.values()]
    .map((info) => {
      const d = info.distribution;
      const kind = d.name === "CategoricalDistribution" ? "categorical" : d.name === "IntDistribution" ? "int" : "float";
      return { ...info, kind, log: d.name === "CategoricalDistribution" ? false : d.attributes.log } as ParamInfo;
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
