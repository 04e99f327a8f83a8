import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import type { StudyDirection } from "../../../core/records.js";
import { OBJECTIVE_NAMES_ATTR } from "../../../tracker/analysis/objectives.js";
import { frontMarks, hypervolumeHistory } from "../../../tracker/analysis/pareto-front.js";
import {
  chartScope,
  FRONT_MARKS,
  hypervolumeData,
  kindsFor,
  multiObjectiveComparisonCharts,
  paretoFrontData,
  paretoFrontSpec,
  STUDY_CHART_KINDS,
  studyChart,
  studyCharts,
} from "../../../tracker/charts/index.js";
import { moRec, moSummary, randomTrials } from "../analysis/multi-objective-cases.js";
import { checkSpec, countMarks, summary } from "./helpers.js";

const TWO: StudyDirection[] = ["maximize", "minimize"];
const named = moSummary("zdt", TWO, { userAttrs: { [OBJECTIVE_NAMES_ATTR]: ["accuracy", "latency"] } });

/** Every text of a rendered SVG (titles, labels, legend entries). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, "&"));
}

test("Pareto front, two objectives: each trial marked as frontMarks marks it, axes titled with the objectives' names", async () => {
  const trials = randomTrials(60, 2, 1);
  const points = paretoFrontData(trials, TWO);
  const marks = frontMarks(trials, TWO);
  assert.deepEqual(
    points.map((p) => [p.number, p.mark]),
    marks.map((m) => [m.trial.number, m.mark]),
  );
  const { spec } = studyChart("pareto-front", named, trials);
  const svg = await checkSpec(spec);
  const shown = texts(svg);
  for (const title of ["accuracy (maximize)", "latency (minimize)"]) assert.ok(shown.includes(title), `${title} in ${shown.join(" | ")}`);
  // The legend: one entry per mark present, whole (no label cut short with an ellipsis).
  for (const m of Object.values(FRONT_MARKS)) assert.ok(shown.includes(m.label), `legend entry ${m.label}`);
  assert.ok(!shown.some((t) => t.endsWith("…")), "no text cut short");
  assert.equal(countMarks(svg, "point"), points.length, "one point per completed trial");
  assert.equal(countMarks(svg, "line mark"), 1, "the front's step line");
  // The step line runs through the front only, and the tooltip carries number, params, values and constraints.
  const s = spec as unknown as { layer: { transform?: unknown[]; encoding: { tooltip?: { title: string }[] } }[] };
  assert.deepEqual(s.layer[0].transform, [{ filter: { field: "mark", equal: "front" } }]);
  assert.deepEqual(
    s.layer[1].encoding.tooltip!.map((t) => t.title),
    ["Trial", "Status", "accuracy (maximize)", "latency (minimize)", "Parameters", "Constraints (feasible ≤ 0)"],
  );
});

test("Pareto front: the step line bounds what the front dominates, by the first objective's direction", () => {
  const trials = [moRec(0, [1, 3]), moRec(1, [2, 2])];
  const interpolate = (directions: StudyDirection[]) =>
    (paretoFrontSpec(paretoFrontData(trials, directions), { directions }) as unknown as { layer: { mark: { interpolate?: string } }[] })
      .layer[0].mark.interpolate;
  assert.equal(interpolate(["minimize", "minimize"]), "step-after");
  assert.equal(interpolate(["maximize", "maximize"]), "step-before");
});

test("Pareto front, three or four objectives: one scatter per pair; a study with one objective is told it has none", async () => {
  for (const n of [3, 4]) {
    const directions: StudyDirection[] = Array.from({ length: n }, (_, i) => (i % 2 ? "minimize" : "maximize"));
    const trials = randomTrials(40, n, 2);
    const { spec } = studyChart("pareto-front", moSummary("many", directions), trials);
    const panels = (spec as unknown as { concat: unknown[] }).concat;
    assert.equal(panels.length, (n * (n - 1)) / 2);
    const svg = await checkSpec(spec);
    assert.equal(countMarks(svg, "point"), panels.length * frontMarks(trials, directions).length);
  }
  const one = studyChart("pareto-front", summary("single", "minimize"), randomTrials(10, 1, 1));
  assert.match(one.note ?? "", /Pareto front needs a study with several objectives; this one has one/);
  assert.match(await checkSpec(one.spec, { tooltips: false }), /needs a study with several objectives/);
});

test("hypervolume chart: the history's points, and a note naming the reference point and how it was set", async () => {
  const trials = randomTrials(50, 2, 3);
  const history = hypervolumeHistory(trials, TWO);
  const data = hypervolumeData(trials, TWO);
  assert.deepEqual(
    data.rows.map((r) => [r.number, r.hypervolume]),
    history.points.map((p) => [p.number, p.hypervolume]),
  );
  assert.deepEqual(data.referencePoint, [-history.referencePoint![0], history.referencePoint![1]]);
  const chart = studyChart("hypervolume", named, trials);
  assert.match(
    chart.note ?? "",
    /^Hypervolume of the feasible Pareto front after each completed trial\. Reference point: accuracy \(maximize\) -?[\d.e-]+, latency \(minimize\) [\d.e-]+ \(each objective's worst value plus a tenth of its range over the \d+ feasible completed trials, as defaultReferencePoint sets it\)\.$/,
  );
  await checkSpec(chart.spec);
  // Capped, every improvement stays.
  const capped = hypervolumeData(randomTrials(400, 2, 4), TWO, { maxPoints: 30 });
  assert.ok(capped.rows.length <= 30);
});

test("importance per objective: one group of bars per parameter, one bar per objective, each fitted on that objective", async () => {
  const trials = randomTrials(80, 2, 5, false);
  const chart = studyChart("objective-importance", named, trials);
  const rows = (chart.spec as unknown as { data: { values: { param: string; objective: string; importance: number }[] } }).data.values;
  assert.deepEqual([...new Set(rows.map((r) => r.objective))], ["accuracy (maximize)", "latency (minimize)"]);
  // Objective 0 is x itself; objective 1 also moves with kind.
  const top = (objective: string) => rows.filter((r) => r.objective === objective).sort((a, b) => b.importance - a.importance)[0].param;
  assert.equal(top("accuracy (maximize)"), "x");
  const svg = await checkSpec(chart.spec);
  assert.equal(countMarks(svg, "bar"), rows.length);
  assert.ok(texts(svg).includes("latency (minimize)"), "legend entry");
  const young = studyChart("objective-importance", named, [moRec(0, [1, 2])]);
  assert.match(young.note ?? "", /^Every objective: .*at least 2 COMPLETE trials/);
});

test("a study with several objectives: every chart it offers draws (per-objective ones any objective); none left empty", async () => {
  const trials = randomTrials(60, 3, 6);
  const study = moSummary("three", ["maximize", "minimize", "minimize"], { userAttrs: { [OBJECTIVE_NAMES_ATTR]: ["a", "b", "c"] } });
  for (const objective of [0, 2]) {
    const charts = studyCharts(study, trials, { objective, now: new Date(1e9) });
    assert.deepEqual(
      Object.keys(charts).filter((k) => k !== "notes" && k !== "importanceResult"),
      kindsFor(study),
    );
    for (const kind of kindsFor(study)) {
      const svg = await checkSpec(charts[kind]!);
      assert.doesNotMatch(svg, /No completed trials yet|Needs two parameters|No completed trial has/, `${kind} draws something`);
    }
    const history = JSON.stringify(charts.history);
    assert.ok(history.includes(["a (maximize)", "b (minimize)", "c (minimize)"][objective]), `history titled with objective ${objective}`);
  }
  assert.deepEqual(
    (studyChart("history", study, trials, { objective: 1 }).spec as unknown as { data: { values: { value: number }[] } }).data.values.map(
      (r) => r.value,
    ),
    trials.filter((t) => t.state === "COMPLETE").map((t) => t.values![1]),
    "the history of objective 1 draws values[1]",
  );
  assert.throws(() => studyChart("history", study, trials, { objective: 3 }), ValueError);
  // Kinds for one objective still answer, with a chart saying why.
  for (const kind of STUDY_CHART_KINDS.filter((k) => chartScope(k).objectives === "one")) {
    const { note } = studyChart(kind, study, trials);
    assert.match(note ?? "", /drawn for studies with one objective; this one has 3/);
  }
});

test("comparison by hypervolume: one curve per study, against the common reference point", async () => {
  const entries = ["a-seed0", "a-seed1", "b-seed0", "b-seed1"].map((name, i) => ({
    summary: moSummary(name, TWO),
    trials: randomTrials(25, 2, 20 + i),
  }));
  const { hypervolume, comparison } = multiObjectiveComparisonCharts(entries);
  const rows = (hypervolume as unknown as { data: { values: { study: string; hypervolume: number }[] } }).data.values;
  assert.deepEqual([...new Set(rows.map((r) => r.study))].sort(), entries.map((e) => e.summary.name).sort());
  for (const s of comparison.standings) {
    const last = rows.filter((r) => r.study === s.name).at(-1)!;
    assert.equal(last.hypervolume, s.hypervolume);
  }
  await checkSpec(hypervolume);
});
