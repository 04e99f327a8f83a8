import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonValue, TrialRecord } from "../../core/records.js";
import { trialsTable, trialsToCsv, trialsToJson } from "../../tracker/export.js";
import { moRec } from "./analysis/multi-objective-cases.js";

function trial(number: number, params: Record<string, string | number>, userAttrs: Record<string, JsonValue> = {}): TrialRecord {
  const start = new Date(Date.UTC(2024, 0, 1, 0, 0, number));
  return {
    trialId: number + 1,
    number,
    state: "COMPLETE",
    params,
    distributions: {},
    value: number === 0 ? -1.5 : number,
    values: [number === 0 ? -1.5 : number],
    intermediateValues: {},
    userAttrs,
    systemAttrs: {},
    datetimeStart: start,
    datetimeComplete: new Date(start.getTime() + 500),
  };
}

/** A minimal RFC 4180 reader: the cells of each row, quotes removed. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\n") {
      rows.push([...row, cell]);
      row = [];
      cell = "";
    } else {
      cell += c;
    }
  }
  return rows;
}

describe("trialsToCsv", () => {
  const formula = '=HYPERLINK("http://x","y")';

  it("prefixes text cells a spreadsheet would run as a formula with a quote; numbers stay numbers", () => {
    const trials = [
      trial(0, { kind: formula, x: -2.5 }, { note: "+1+1", who: "@SUM(A1)", tab: "\tcmd", cr: "\rcmd", dash: "-cmd" }),
      trial(1, { kind: "plain", x: 3 }, { note: "1+1" }),
    ];
    const [header, first, second] = readCsv(trialsToCsv(trials));
    const cell = (row: string[], column: string) => row[header.indexOf(column)];
    assert.equal(cell(first, "params_kind"), `'${formula}`);
    assert.equal(cell(first, "user_attrs_note"), "'+1+1");
    assert.equal(cell(first, "user_attrs_who"), "'@SUM(A1)");
    assert.equal(cell(first, "user_attrs_tab"), "'\tcmd");
    assert.equal(cell(first, "user_attrs_cr"), "'\rcmd");
    assert.equal(cell(first, "user_attrs_dash"), "'-cmd");
    assert.equal(cell(first, "params_x"), "-2.5");
    assert.equal(cell(first, "value"), "-1.5");
    assert.equal(cell(second, "params_kind"), "plain");
    assert.equal(cell(second, "user_attrs_note"), "1+1");
  });

  it("leaves the data itself unchanged: trialsTable and JSON keep the values as stored", () => {
    const trials = [trial(0, { kind: formula }, { note: "=1+1" })];
    const table = trialsTable(trials);
    assert.equal(table.rows[0][table.columns.indexOf("params_kind")], formula);
    assert.equal(JSON.parse(trialsToJson(trials))[0].userAttrs.note, "=1+1");
  });

  it("reads only a trial's own parameters and attributes: names such as constructor and __proto__ are columns like any other", () => {
    const trials = [
      trial(0, { constructor: 0.25 }, { toString: "a" }),
      trial(1, JSON.parse('{"__proto__": 0.75}'), { valueOf: "b" }),
      trial(2, { constructor: 0.5 }, {}),
      trial(3, JSON.parse('{"__proto__": 1}'), {}),
    ];
    const table = trialsTable(trials);
    assert.deepEqual(table.columns.slice(6), [
      "params___proto__",
      "params_constructor",
      "user_attrs_toString",
      "user_attrs_valueOf",
      "error",
    ]);
    assert.deepEqual(
      table.rows.map((row) => row.slice(6, 10)),
      [
        [null, 0.25, "a", null],
        [0.75, null, null, "b"],
        [null, 0.5, null, null],
        [1, null, null, null],
      ],
    );
    const csv = trialsToCsv(trials);
    assert.ok(!csv.includes("native code") && !csv.includes("[object Object]"), csv);
    assert.deepEqual(
      readCsv(csv).map((row) => row.slice(6, 8)),
      [
        ["params___proto__", "params_constructor"],
        ["", "0.25"],
        ["0.75", ""],
        ["", "0.5"],
        ["1", ""],
      ],
    );
  });
});

describe("export of a study with several objectives", () => {
  it("values_0, values_1, … and the constraints list, as Optuna's trials_dataframe names them", () => {
    const trials = [
      moRec(0, [0.9, 12], { constraints: [-1, 0.5] }),
      moRec(1, null, { state: "FAIL" }),
      moRec(2, [0.8, 3], { constraints: [-2, -0.5] }),
    ];
    const table = trialsTable(trials, { objectives: 2 });
    assert.deepEqual(table.columns.slice(0, 5), ["number", "state", "values_0", "values_1", "constraints"]);
    assert.deepEqual(
      table.rows.map((r) => r.slice(0, 5)),
      [
        [0, "COMPLETE", 0.9, 12, "[-1,0.5]"],
        [1, "FAIL", null, null, null],
        [2, "COMPLETE", 0.8, 3, "[-2,-0.5]"],
      ],
    );
    const [header, first] = trialsToCsv(trials).split("\n");
    assert.match(header, /^number,state,values_0,values_1,constraints,datetime_start/, "the objectives counted from the trials");
    assert.match(first, /^0,COMPLETE,0\.9,12,"\[-1,0\.5\]",/);
  });

  it("a study with one objective and no constraints: the columns as they always were", () => {
    const trials = [moRec(0, [1.5]), moRec(1, [2])];
    assert.deepEqual(trialsTable(trials).columns.slice(0, 4), ["number", "state", "value", "datetime_start"]);
    assert.deepEqual(trialsTable(trials, { objectives: 1 }), trialsTable(trials));
  });
});
