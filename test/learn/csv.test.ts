import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../../learn/csv.js";
import { readCsv } from "../../learn/datasets.js";
import { tempFiles } from "./temp-files.js";
import { rejectsValueKeepingFile, throwsValue } from "./value-errors.js";

const { file } = tempFiles("tunebook-csv-");

describe("CSV delimiters", () => {
  const delimiters = [",", ";", "\t", "|"];

  it("are detected: comma, semicolon, tab and pipe, with quoted delimiters, CRLF, a BOM and a trailing newline", async () => {
    for (const d of delimiters) {
      const text = `\ufeffname${d}x${d}"y"\r\n"Smith${d} J"${d}1.5${d}2\r\n"multi\nline"${d}3${d}\r\n`;
      const table = parseCsv(text);
      assert.equal(table.delimiter, d, JSON.stringify(d));
      assert.deepEqual(table.columns, ["name", "x", "y"], JSON.stringify(d));
      assert.deepEqual(table.numeric, [false, true, true], JSON.stringify(d));
      assert.deepEqual(table.rows, [
        [`Smith${d} J`, 1.5, 2],
        ["multi\nline", 3, Number.NaN],
      ]);
      const frame = await readCsv(file(`delimited-${delimiters.indexOf(d)}.csv`, text));
      assert.deepEqual(frame.columns, ["name", "x", "y"]);
      assert.deepEqual(frame.shape, [2, 3]);
    }
  });

  it("a semicolon file with decimal commas is split on the semicolons", () => {
    const table = parseCsv("a;b\n1,5;2\n3,25;4\n");
    assert.equal(table.delimiter, ";");
    assert.deepEqual(table.columns, ["a", "b"]);
    // pandas reads "1,5" as text too unless told decimal=","
    assert.deepEqual(table.rows, [
      ["1,5", 2],
      ["3,25", 4],
    ]);
  });

  it("a file with one column keeps it whole", () => {
    const table = parseCsv("value\n1\n2\n");
    assert.deepEqual(table.columns, ["value"]);
    assert.deepEqual(table.rows, [[1], [2]]);
  });

  it("an ambiguous file is refused, naming the candidates and the delimiter option", async () => {
    // "," and ";" both split every line in two.
    throwsValue(() => parseCsv("a;b,c\n1;2,3\n"), '","', '";"', "delimiter");
    // Both split the header, neither splits every row alike.
    const path = file("ambiguous.csv", "a,b;c\n1,2\n3;4\n");
    await rejectsValueKeepingFile(path, () => readCsv(path), "ambiguous.csv", '","', '";"', "{ delimiter");
  });

  it("the delimiter option overrides the detection", async () => {
    assert.deepEqual(parseCsv("a;b,c\n1;2,3\n", { delimiter: ";" }).columns, ["a", "b,c"]);
    assert.deepEqual(parseCsv("a;b,c\n1;2,3\n", { delimiter: "," }).columns, ["a;b", "c"]);
    const frame = await readCsv(file("override.csv", "a;b,c\n1;2,3\n"), { delimiter: ";" });
    assert.deepEqual(frame.columns, ["a", "b,c"]);
  });

  it("a bad delimiter option or an unknown option is refused by name", async () => {
    for (const bad of ["", ",,", '"', "\n", "\r", 1]) {
      throwsValue(() => parseCsv("a,b\n1,2\n", { delimiter: bad as string }), "delimiter", JSON.stringify(bad));
    }
    throwsValue(() => parseCsv("a,b\n1,2\n", { delimeter: ";" } as never), '"delimeter"', '"delimiter"');
    assert.deepEqual(parseCsv("a;b\n1;2\n", null as never).columns, ["a", "b"]);
    throwsValue(() => parseCsv(Buffer.from("a,b\n1,2\n") as never), "text must be a string");
    const path = file("options.csv", "a,b\n1,2\n");
    await rejectsValueKeepingFile(path, () => readCsv(path, { sep: ";" } as never), '"sep"');
  });

  it("ragged rows are named by line, with the detected delimiter", () => {
    throwsValue(() => parseCsv("a;b;c\n1;2;3\n4;5\n"), "line 3", "2 fields", "header has 3");
  });
});

interface PandasCell {
  cell: string;
  kind: "number" | "missing" | "text";
  value?: number | "Infinity" | "-Infinity";
}

const pandasCells = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/pandas-csv-cells.json", import.meta.url)), "utf8")) as {
  pandas: string;
  cells: PandasCell[];
};

/** One cell as the first row of a column whose second row is a number, as the fixture was made. */
function readCell(cell: string): { numeric: boolean; value: unknown } {
  const table = parseCsv(`a,b\n"${cell.replaceAll('"', '""')}",1\n0.5,2\n`);
  return { numeric: table.numeric[0], value: table.rows[0][0] };
}

describe("CSV numbers, as pandas.read_csv reads them (fixtures/make_pandas_csv_cells.py)", () => {
  it("every cell of the fixture reads as pandas reads it", () => {
    assert.ok(pandasCells.cells.length > 50);
    for (const { cell, kind, value } of pandasCells.cells) {
      const read = readCell(cell);
      const label = `${JSON.stringify(cell)} (pandas ${pandasCells.pandas}: ${kind})`;
      if (kind === "text") {
        assert.equal(read.numeric, false, label);
        assert.equal(read.value, cell, label);
      } else {
        assert.equal(read.numeric, true, label);
        const expected = kind === "missing" ? Number.NaN : typeof value === "string" ? Number(value) : value;
        assert.ok(Object.is(read.value, expected), `${label}: read ${String(read.value)}, expected ${String(expected)}`);
      }
    }
  });

  it("JavaScript's own number literals stay text", () => {
    for (const cell of ["0x10", "0b11", "0o7", "1_000"]) assert.deepEqual(readCell(cell), { numeric: false, value: cell }, cell);
  });

  it("a missing-value marker padded with spaces, or a cell of spaces, is missing (pandas would read text)", () => {
    for (const cell of [" NA ", "NA\t", " ", "\t", " nan"]) {
      const read = readCell(cell);
      assert.equal(read.numeric, true, JSON.stringify(cell));
      assert.ok(Number.isNaN(read.value), JSON.stringify(cell));
    }
    assert.deepEqual(parseCsv("a\nx\n NA \n").rows, [["x"], [null]]);
  });
});
