import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { isFeasible } from "../../../core/feasibility.js";
import { defaultReferencePoint, hypervolume } from "../../../core/math/hypervolume.js";
import type { StudyDirection } from "../../../core/records.js";
import { compareAlgorithms, correctedTTest } from "../../../tracker/analysis/compare.js";
import { compareMultiObjective, repeatOf } from "../../../tracker/analysis/compare-multi-objective.js";
import { constraintColumns, feasibilityOf } from "../../../tracker/analysis/constraints.js";
import {
  checkObjective,
  OBJECTIVE_NAMES_ATTR,
  objectiveTitles,
  objectiveValue,
  trialsForObjective,
} from "../../../tracker/analysis/objectives.js";
import {
  completedWithValues,
  frontMarks,
  hypervolumeHistory,
  paretoSummary,
  studyReferencePoint,
} from "../../../tracker/analysis/pareto-front.js";
import { minimisedValues, paretoOptimalTrials } from "../../../tune/best-trials.js";
import { moRec, moSummary, randomTrials } from "./multi-objective-cases.js";

const CASES: StudyDirection[][] = [
  ["minimize", "minimize"],
  ["maximize", "minimize"],
  ["maximize", "minimize", "minimize"],
  ["minimize", "maximize", "minimize", "maximize"],
];

test("front marks: the front is paretoOptimalTrials, the rest dominated or infeasible by their constraints", () => {
  for (const directions of CASES) {
    for (let seed = 0; seed < 4; seed++) {
      const trials = randomTrials(60, directions.length, seed);
      const marks = frontMarks(trials, directions);
      const front = paretoOptimalTrials(trials, directions).map((t) => t.number);
      assert.deepEqual(
        marks.filter((m) => m.mark === "front").map((m) => m.trial.number),
        front,
        `${directions} seed ${seed}`,
      );
      assert.ok(front.length > 0);
      for (const { trial, mark } of marks) {
        assert.equal(mark === "infeasible", !isFeasible(trial), `trial ${trial.number}`);
      }
      assert.deepEqual(
        marks.map((m) => m.trial.number),
        completedWithValues(trials, directions).map((t) => t.number),
        "every completed trial, once, in number order",
      );
      assert.ok(marks.some((m) => m.mark === "infeasible") && marks.some((m) => m.mark === "dominated"));
    }
  }
});

test("hypervolume history: each step equals the hypervolume recomputed from scratch over the trials so far", () => {
  for (const directions of CASES) {
    for (let seed = 0; seed < 3; seed++) {
      const trials = randomTrials(80, directions.length, 10 + seed);
      const history = hypervolumeHistory(trials, directions);
      const reference = studyReferencePoint(trials, directions)!;
      assert.deepEqual(history.referencePoint, reference);
      const complete = completedWithValues(trials, directions);
      assert.equal(history.points.length, complete.length);
      let previous = 0;
      complete.forEach((t, k) => {
        const sofar = complete
          .slice(0, k + 1)
          .filter((u) => isFeasible(u))
          .map((u) => minimisedValues(u.values!, directions));
        const expected = hypervolume(sofar, reference);
        const got = history.points[k];
        assert.equal(got.number, t.number);
        assert.ok(
          Math.abs(got.hypervolume - expected) <= 1e-9 * Math.max(1, expected),
          `${directions} trial ${t.number}: ${got.hypervolume} vs ${expected}`,
        );
        assert.equal(got.improved, got.hypervolume > previous + 1e-12 * Math.max(1, expected));
        assert.equal(got.feasible, isFeasible(t));
        previous = got.hypervolume;
      });
    }
  }
});

test("hypervolume history: the reference point is defaultReferencePoint over the feasible completed trials; none feasible, none", () => {
  const directions: StudyDirection[] = ["maximize", "minimize"];
  const trials = [
    moRec(0, [1, 5]),
    moRec(1, [3, 2], { constraints: [1] }), // infeasible: left out of the reference point
    moRec(2, [2, 3]),
    moRec(3, [2, 3]), // a copy adds nothing
    moRec(4, [0, 9], { state: "PRUNED" }),
  ];
  const reference = defaultReferencePoint([
    [-1, 5],
    [-2, 3],
    [-2, 3],
  ]);
  const history = hypervolumeHistory(trials, directions);
  assert.deepEqual(history.referencePoint, reference);
  assert.deepEqual(
    history.points.map((p) => [p.number, p.improved, p.feasible]),
    [
      [0, true, true],
      [1, false, false],
      [2, true, true],
      [3, false, true],
    ],
  );
  assert.equal(
    history.points[3].hypervolume,
    hypervolume(
      [
        [-1, 5],
        [-2, 3],
      ],
      reference,
    ),
  );
  const none = hypervolumeHistory([moRec(0, [1, 1], { constraints: [2] })], directions);
  assert.equal(none.referencePoint, null);
  assert.deepEqual(
    none.points.map((p) => p.hypervolume),
    [0],
  );
});

test("pareto summary: the front's trials, its hypervolume and the reference point in the objectives' own units", () => {
  const directions: StudyDirection[] = ["maximize", "minimize"];
  const trials = [moRec(0, [3, 5]), moRec(1, [3, 2], { constraints: [0.5] }), moRec(2, [2, 3]), moRec(3, [0.5, 6]), moRec(4, null)];
  const summary = paretoSummary(trials, directions);
  assert.deepEqual(summary.frontTrialNumbers, [0, 2]);
  assert.equal(summary.feasible, 3);
  assert.equal(summary.infeasible, 1);
  const reference = defaultReferencePoint([
    [-3, 5],
    [-2, 3],
    [-0.5, 6],
  ]);
  assert.deepEqual(summary.referencePoint, [-reference[0], reference[1]]);
  assert.equal(
    summary.hypervolume,
    hypervolume(
      [
        [-3, 5],
        [-2, 3],
      ],
      reference,
    ),
  );
  assert.equal(summary.hypervolume, hypervolumeHistory(trials, directions).points.at(-1)!.hypervolume);
});

test("objective titles: the study attribute tunebook:objective_names when it names every objective, else Objective i", () => {
  const two: StudyDirection[] = ["maximize", "minimize"];
  assert.deepEqual(objectiveTitles(moSummary("s", two)), ["Objective 0 (maximize)", "Objective 1 (minimize)"]);
  assert.deepEqual(objectiveTitles(moSummary("s", two, { userAttrs: { [OBJECTIVE_NAMES_ATTR]: ["accuracy", "latency"] } })), [
    "accuracy (maximize)",
    "latency (minimize)",
  ]);
  assert.deepEqual(
    objectiveTitles(
      moSummary("s", two, { systemAttrs: { [OBJECTIVE_NAMES_ATTR]: ["acc", "ms"] }, userAttrs: { [OBJECTIVE_NAMES_ATTR]: ["x", "y"] } }),
    ),
    ["acc (maximize)", "ms (minimize)"],
    "the system attribute first",
  );
  for (const bad of [["only one"], ["a", 3], ["a", ""], "a,b", null])
    assert.deepEqual(objectiveTitles(moSummary("s", two, { userAttrs: { [OBJECTIVE_NAMES_ATTR]: bad } })), [
      "Objective 0 (maximize)",
      "Objective 1 (minimize)",
    ]);
  assert.deepEqual(objectiveTitles(moSummary("s", ["minimize"])), ["Objective value"], "one unnamed objective: as the charts always said");
  assert.deepEqual(objectiveTitles(moSummary("s", ["minimize"], { userAttrs: { [OBJECTIVE_NAMES_ATTR]: ["loss"] } })), ["loss (minimize)"]);
});

test("one objective's values seen as the trials' value; a bad index is refused naming the range", () => {
  const trials = [moRec(0, [1, 5]), moRec(1, null)];
  assert.deepEqual(
    trialsForObjective(trials, ["maximize", "minimize"], 1).map((t) => t.value),
    [5, null],
  );
  const single = [moRec(0, [2])];
  assert.equal(trialsForObjective(single, ["minimize"], 0), single, "one objective: the trials as they are");
  assert.equal(objectiveValue({ value: 3, values: null }, 0), 3, "an older record without values");
  assert.equal(objectiveValue({ value: null, values: [1, 2] }, 2), null);
  assert.throws(
    () => checkObjective(moSummary("s", ["maximize", "minimize"]), 2),
    (e: Error) => e instanceof ValueError && /objective must be an index from 0 to 1 \(study "s" has 2 objectives\), got 2/.test(e.message),
  );
});

test("constraint columns: unnamed positions as constraints[i], named ones by name; feasibility null without constraints", () => {
  const trials = [
    moRec(0, [1, 2], { constraints: [-1, 0.5, 2], named: { memory: 0.5, latency: 2 } }),
    moRec(1, [1, 2], { constraints: [0.2], named: {} }),
    moRec(2, [1, 2]),
  ];
  const columns = constraintColumns(trials);
  assert.deepEqual(
    columns.map((c) => c.label),
    ["constraints[0]", "memory", "latency"],
  );
  assert.deepEqual(
    trials.map((t) => columns.map((c) => c.read(t))),
    [
      [-1, 0.5, 2],
      [0.2, null, null],
      [null, null, null],
    ],
  );
  assert.deepEqual(trials.map(feasibilityOf), [false, false, null]);
});

test("repeats: a trailing seed after a separator or the word seed, rep or run", () => {
  assert.deepEqual(repeatOf("nsga2-seed3"), { group: "nsga2", seed: "3" });
  assert.deepEqual(repeatOf("tpe_rep07"), { group: "tpe", seed: "7" });
  assert.deepEqual(repeatOf("random 12"), { group: "random", seed: "12" });
  assert.deepEqual(repeatOf("qmc.run=2"), { group: "qmc", seed: "2" });
  for (const name of ["nsga2", "zdt1", "model-v2", "3"]) assert.equal(repeatOf(name), null, name);
});

test("compare by hypervolume: one reference point over the union of the feasible fronts; repeats paired by seed", () => {
  const directions: StudyDirection[] = ["maximize", "minimize"];
  const study = (name: string, seed: number, shift: number) => ({
    summary: moSummary(name, directions),
    trials: randomTrials(30, 2, seed).map((t) => (t.values ? { ...t, values: [t.values[0] + shift, t.values[1] - shift] } : t)),
  });
  const entries = [
    study("random-seed0", 1, 0),
    study("random-seed1", 2, 0),
    study("random-seed2", 3, 0),
    study("qmc-seed2", 6, 0.2),
    study("qmc-seed0", 4, 0.2),
    study("qmc-seed1", 5, 0.2),
    study("other", 7, 0),
  ];
  const result = compareMultiObjective(entries);
  const fronts = entries.flatMap((e) => paretoOptimalTrials(e.trials, directions).map((t) => minimisedValues(t.values!, directions)));
  const reference = defaultReferencePoint(fronts);
  assert.deepEqual(result.referencePoint, reference);
  assert.deepEqual(result.referencePointOwnUnits, [-reference[0], reference[1]]);
  for (const s of result.standings) {
    const { trials } = entries.find((e) => e.summary.name === s.name)!;
    const front = paretoOptimalTrials(trials, directions);
    const expected = hypervolume(
      front.map((t) => minimisedValues(t.values!, directions)),
      reference,
    );
    assert.ok(Math.abs(s.hypervolume - expected) < 1e-9, s.name);
    assert.equal(s.frontSize, front.length);
  }
  assert.deepEqual(
    result.standings.map((s) => s.hypervolume),
    [...result.standings.map((s) => s.hypervolume)].sort((a, b) => b - a),
  );
  assert.deepEqual(
    result.groups.map((g) => [g.name, g.seeds]),
    [
      ["qmc", ["0", "1", "2"]],
      ["random", ["0", "1", "2"]],
    ],
  );
  const hv = (name: string) => result.standings.find((s) => s.name === name)!.hypervolume;
  const qmc = ["qmc-seed0", "qmc-seed1", "qmc-seed2"].map(hv);
  const random = ["random-seed0", "random-seed1", "random-seed2"].map(hv);
  assert.ok(result.test, result.noTestReason);
  const expected = compareAlgorithms(
    { name: "qmc", scores: qmc },
    { name: "random", scores: random },
    { direction: "maximize", testTrainRatio: 0 },
  );
  assert.deepEqual(result.test, expected);
  assert.equal(result.test.better, "qmc");
  // Independent runs: the plain paired t-test, t = mean(d) / (sd(d) / √n).
  const d = qmc.map((q, i) => q - random[i]);
  const mean = d.reduce((a, b) => a + b) / 3;
  const sd = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
  assert.ok(Math.abs(result.test.tTest.t - mean / (sd / Math.sqrt(3))) < 1e-9);
  assert.equal(result.test.tTest.pValue, correctedTTest(qmc, random, { testTrainRatio: 0 }).pValue);
});

test("compare by hypervolume: no test without two repeated algorithms, and why; other directions refused", () => {
  const directions: StudyDirection[] = ["minimize", "minimize"];
  const entries = [
    { summary: moSummary("a", directions), trials: randomTrials(20, 2, 1) },
    { summary: moSummary("b-seed0", directions), trials: randomTrials(20, 2, 2) },
    { summary: moSummary("b-seed1", directions), trials: randomTrials(20, 2, 3) },
  ];
  const result = compareMultiObjective(entries);
  assert.equal(result.test, null);
  assert.match(result.noTestReason!, /two algorithms, each repeated over the same seeds/);
  assert.throws(
    () => compareMultiObjective([...entries, { summary: moSummary("c", ["maximize", "minimize"]), trials: [] }]),
    /study "c" has directions \["maximize","minimize"\], not \["minimize","minimize"\]/,
  );
  const empty = compareMultiObjective([{ summary: moSummary("e", directions), trials: [moRec(0, null)] }]);
  assert.equal(empty.referencePoint, null);
  assert.equal(empty.standings[0].hypervolume, 0);
});
