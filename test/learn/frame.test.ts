import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DataFrame } from "danfojs-node";
import { correlationMatrix, describe as describeColumns, toDataFrame } from "../../learn/analysis/index.js";
import { datasetFromCsv, readCsv } from "../../learn/datasets.js";
import { frameFromRecords } from "../../learn/frame.js";
import { tempFiles } from "./temp-files.js";

const { file } = tempFiles("tunebook-frame-");

/** Column names that are also names of Object.prototype or of a DataFrame's own methods and properties. */
const HOSTILE = [
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "columns",
  "shape",
  "print",
  "values",
  "$data",
  "sum",
];

/** The frame still works as a frame, and each column reads back by name. */
function assertSound(frame: DataFrame, columns: readonly string[], rows: number): void {
  assert.deepEqual(frame.columns, columns);
  assert.deepEqual(frame.shape, [rows, columns.length]);
  assert.equal(typeof frame.toString(), "string");
  assert.equal(typeof frame.print, "function");
  assert.deepEqual(frame.head(1).columns, columns);
  for (const [j, name] of columns.entries()) {
    assert.deepEqual(
      frame.column(name).values,
      frame.values.map((row) => (row as unknown[])[j]),
      name,
    );
  }
}

describe("DataFrames whose column names clash with JavaScript's or danfo.js's own names", () => {
  it("readCsv reads a column named constructor, __proto__, toString, columns, ...", async () => {
    for (const name of HOSTILE) {
      const frame = await readCsv(file("hostile.csv", `${name},b\n1,x\n2,y\n`));
      assertSound(frame, [name, "b"], 2);
      assert.deepEqual(frame.column(name).values, [1, 2], name);
    }
    assertSound(await readCsv(file("all.csv", `${HOSTILE.join(",")}\n${HOSTILE.map((_, j) => j).join(",")}\n`)), HOSTILE, 1);
  });

  it("datasetFromCsv uses such columns as features and target", async () => {
    const path = file("hostile-dataset.csv", "constructor,__proto__,toString\n1,2,a\n3,4,b\n5,6,a\n");
    const data = await datasetFromCsv(path);
    assert.deepEqual(data.featureNames, ["constructor", "__proto__"]);
    assert.equal(data.targetName, "toString");
    assert.deepEqual(
      data.X.map((row) => row.join(" ")),
      ["1 2", "3 4", "5 6"],
    );
    assert.deepEqual(data.y, ["a", "b", "a"]);
    assertSound(data.frame, ["constructor", "__proto__", "toString"], 3);
    const selected = await datasetFromCsv(path, { target: "constructor", features: ["__proto__"] });
    assert.deepEqual(selected.X, [[2], [4], [6]]);
    assert.deepEqual(selected.y, [1, 3, 5]);
  });

  it("toDataFrame takes feature names that clash", async () => {
    const X = [
      [1, 2],
      [3, 5],
      [4, 4],
    ];
    const names = ["constructor", "toString"];
    assertSound(await toDataFrame(correlationMatrix(X, { featureNames: names })), names, 2);
    const summary = await toDataFrame(describeColumns(X, names));
    assert.deepEqual(summary.column("feature").values, names);
  });

  it("records lacking a key read it as missing, never from Object.prototype", async () => {
    const frame = await frameFromRecords([{ constructor: 1, toString: "a" }, { toString: "b" } as never]);
    assertSound(frame, ["constructor", "toString"], 2);
    assert.ok((frame.column("constructor").values as unknown[]).every((v) => typeof v !== "function"));
  });
});
