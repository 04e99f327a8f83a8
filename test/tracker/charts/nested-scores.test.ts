import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { nestedScoresData, nestedScoresSpec } from "../../../tracker/charts/nested-scores.js";
import { checkSpec, countMarks } from "./helpers.js";

const runs = [
  {
    name: "knn",
    folds: [
      { fold: 0, outerScore: 0.9, params: { k: 5 } },
      { fold: 1, outerScore: 0.95, params: { k: 7 } },
      { fold: 2, outerScore: 1, params: { k: 5 } },
    ],
  },
  {
    name: "tree",
    folds: [
      { fold: 0, outerScore: 0.9, params: { criterion: "gini", maxDepth: 3 } },
      { fold: 1, outerScore: 0.85 },
      { fold: 2, outerScore: 0.95, params: { criterion: "entropy", maxDepth: 4 } },
    ],
  },
];

test("outer scores per fold: one row per run and fold, the chosen parameters as text", () => {
  assert.deepEqual(nestedScoresData(runs), [
    { run: "knn", fold: 0, score: 0.9, params: "k=5" },
    { run: "knn", fold: 1, score: 0.95, params: "k=7" },
    { run: "knn", fold: 2, score: 1, params: "k=5" },
    { run: "tree", fold: 0, score: 0.9, params: "criterion=gini, maxDepth=3" },
    { run: "tree", fold: 1, score: 0.85, params: "" },
    { run: "tree", fold: 2, score: 0.95, params: "criterion=entropy, maxDepth=4" },
  ]);
  assert.throws(
    () => nestedScoresData([{ name: "nb", folds: [{ fold: 1, outerScore: Number.NaN }] }]),
    (e: unknown) => e instanceof ValueError && /outer fold 2 of "nb" scored NaN/.test(e.message),
  );
});

test("points joined per run, each run a little aside so equal scores stay apart, every run in the legend", async () => {
  const spec = nestedScoresSpec(nestedScoresData(runs), { runs: ["tree", "knn"], scoreTitle: "accuracy on the outer test rows" });
  const values = (spec as { data: { values: { run: string; fold: number; x: number }[] } }).data.values;
  const first = values.filter((v) => v.fold === 0);
  assert.ok(
    first.every((v) => Math.abs(v.x - 1) <= 0.1),
    "near the fold's tick",
  );
  assert.notEqual(first[0].x, first[1].x, "the two runs' equal scores on fold 1 do not overlap");
  assert.ok(values.find((v) => v.run === "tree")!.x < values.find((v) => v.run === "knn")!.x, "runs sit in the order given");
  const svg = await checkSpec(spec);
  assert.equal(countMarks(svg, "line mark"), 2);
  assert.equal(countMarks(svg, "point"), 6);
  for (const text of ["Outer fold", "accuracy on the outer test rows", "Run", "knn", "tree", "1", "2", "3"]) {
    assert.ok(svg.includes(`>${text}<`), text);
  }
});

test("nothing recorded: a chart saying so", async () => {
  const svg = await checkSpec(nestedScoresSpec([]), { tooltips: false });
  assert.ok(svg.includes("No outer fold recorded."));
});
