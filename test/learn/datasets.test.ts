import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { parseCsv } from "../../learn/csv.js";
import { DATASETS, datasetFromCsv, findPackageRoot, loadArrays, loadDataset, readCsv } from "../../learn/datasets.js";

const dir = mkdtempSync(join(tmpdir(), "tunebook-csv-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function rejectsValue(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

function throwsValue(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe("bundled datasets", () => {
  const shapes = { iris: [150, 4, 3], wine: [178, 13, 3], breast_cancer: [569, 30, 2], digits: [1797, 64, 10], diabetes: [442, 10, 0] };

  it("have scikit-learn's shapes, classes and tasks", () => {
    for (const name of Object.keys(DATASETS) as (keyof typeof DATASETS)[]) {
      const data = loadArrays(name);
      const [rows, width, classes] = shapes[name];
      assert.equal(data.X.length, rows, name);
      assert.equal(data.y.length, rows, name);
      assert.ok(
        data.X.every((row) => row.length === width && row.every(Number.isFinite)),
        name,
      );
      assert.equal(data.featureNames.length, width, name);
      assert.equal(data.task, name === "diabetes" ? "regression" : "classification");
      if (data.task === "classification") assert.equal(data.classes.length, classes, name);
    }
    const iris = loadArrays("iris");
    assert.deepEqual(iris.classes, ["setosa", "versicolor", "virginica"]);
    assert.deepEqual(iris.X[0], [5.1, 3.5, 1.4, 0.2]);
    assert.deepEqual(loadArrays("digits").classes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(loadArrays("diabetes").y.every((v) => typeof v === "number"));
  });

  it("come with a danfo.js DataFrame of every column", async () => {
    const iris = await loadDataset("iris");
    assert.deepEqual(iris.frame.shape, [150, 5]);
    assert.deepEqual(iris.frame.columns, [...iris.featureNames, iris.targetName]);
    assert.deepEqual(iris.frame.iloc({ rows: [0] }).values[0], [5.1, 3.5, 1.4, 0.2, "setosa"]);
  });

  it("reject an unknown name, listing the known ones", async () => {
    await rejectsValue(loadDataset("irs" as never), '"irs"', '"iris"', "breast_cancer", "diabetes");
    throwsValue(() => loadArrays("titanic" as never), '"titanic"', "iris, wine, breast_cancer, digits, diabetes");
  });

  it("are found from any directory below the package root (sources or dist/)", () => {
    const root = join(dir, "pkg");
    mkdirSync(join(root, "dist", "kernel", "data"), { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "tunebook" }));
    mkdirSync(join(root, "node_modules", "other"), { recursive: true });
    writeFileSync(join(root, "node_modules", "other", "package.json"), JSON.stringify({ name: "other" }));
    assert.equal(findPackageRoot(join(root, "dist", "kernel", "data")), root);
    assert.equal(findPackageRoot(join(root, "node_modules", "other")), root);
    assert.equal(findPackageRoot(), join(import.meta.dirname, "..", ".."));
  });
});

describe("CSV files", () => {
  it("parse quotes, CRLF line ends, a BOM and missing cells", () => {
    const table = parseCsv('\ufeffname,x,"note"\r\n"Smith, J",1.5,"said ""hi"""\r\nLee,,\r\n\r\n"multi\nline",3,NA\r\n');
    assert.deepEqual(table.columns, ["name", "x", "note"]);
    assert.deepEqual(table.numeric, [false, true, false]);
    assert.deepEqual(table.rows, [
      ["Smith, J", 1.5, 'said "hi"'],
      ["Lee", Number.NaN, null],
      ["multi\nline", 3, null],
    ]);
  });

  it("read into a DataFrame", async () => {
    const frame = await readCsv(file("ok.csv", "a,b\n1,x\n2,y\n"));
    assert.deepEqual(frame.shape, [2, 2]);
    assert.deepEqual(frame.columns, ["a", "b"]);
  });

  it("a missing file, an empty file, a header without rows", async () => {
    await rejectsValue(readCsv(join(dir, "nope.csv")), "nope.csv", "no file");
    await rejectsValue(readCsv(file("empty.csv", "")), "empty.csv", "empty");
    await rejectsValue(readCsv(file("blank.csv", "\n  \n")), "blank.csv", "empty");
    await rejectsValue(readCsv(file("header.csv", "a,b\n")), "header.csv", "no data rows");
    await rejectsValue(readCsv(dir), "directory");
  });

  it("ragged rows name the line and both counts", async () => {
    await rejectsValue(readCsv(file("ragged.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n")), "ragged.csv", "line 3", "2 fields", "header has 3");
    // Line numbers count the physical lines, blank lines and quoted newlines included.
    throwsValue(() => parseCsv('a,b\n\n"x\ny",1\n1,2,3\n'), "line 5", "3 fields");
    throwsValue(() => parseCsv('a,b\n"open,1\n'), "line 2", "never closed");
    throwsValue(() => parseCsv("a,a\n1,2\n"), '"a"', "twice");
  });

  it("become datasets with a chosen target and numeric features", async () => {
    const path = file("people.csv", "age,height,city,label\n30,1.7,Oslo,yes\n41,1.8,Rome,no\n25,1.6,Oslo,yes\n");
    const data = await datasetFromCsv(path, { target: "label", features: ["age", "height"] });
    assert.equal(data.task, "classification");
    assert.deepEqual(data.X, [
      [30, 1.7],
      [41, 1.8],
      [25, 1.6],
    ]);
    assert.deepEqual(data.y, ["yes", "no", "yes"]);
    await rejectsValue(datasetFromCsv(path, { target: "label" }), '"city"', "text", '"Oslo"');
    await rejectsValue(datasetFromCsv(path, { target: "weight" }), '"weight"', "age");
    const numeric = await datasetFromCsv(file("reg.csv", "x,y\n1,2.5\n2,3.1\n3,4.4\n"));
    assert.equal(numeric.task, "regression");
    await rejectsValue(datasetFromCsv(file("gap.csv", "x,y\n1,a\n2,\n")), "missing on data row 2");
  });
});
