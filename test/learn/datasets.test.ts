import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseCsv } from "../../learn/csv.js";
import { DATASETS, datasetFromCsv, findPackageRoot, loadArrays, loadDataset, readCsv } from "../../learn/datasets.js";
import { tempFiles } from "./temp-files.js";
import { rejectsValue, rejectsValueKeepingFile, throwsValue } from "./value-errors.js";

const { dir, file } = tempFiles("tunebook-datasets-");

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
    await rejectsValue(datasetFromCsv(file("gap.csv", "x,y\n1,a\n2,\n")), "missing on line 3");
  });
});

describe("datasetFromCsv refuses what it cannot use", () => {
  const people = () => file("people.csv", "age,height,city,label\n30,1.7,Oslo,yes\n41,1.8,Rome,no\n25,1.6,Oslo,yes\n");

  it("a semicolon file gives its features, not one column and no features", async () => {
    const data = await datasetFromCsv(file("semi.csv", "a;b;label\n1,5;2;x\n2;3;y\n3,25;4;x\n"), { features: ["b"] });
    assert.deepEqual(data.featureNames, ["b"]);
    assert.equal(data.targetName, "label");
    const plain = await datasetFromCsv(file("semi2.csv", "a;b;label\n1;2;x\n2;3;y\n3;4;x\n"));
    assert.deepEqual(plain.featureNames, ["a", "b"]);
    assert.deepEqual(plain.X, [
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    assert.deepEqual((await datasetFromCsv(file("semi3.csv", "a;label\n1;x\n2;y\n"), null as never)).X, [[1], [2]]);
    const tab = await datasetFromCsv(file("tab.csv", "a\tlabel\n1\tx\n2\ty\n"), { delimiter: "\t" });
    assert.deepEqual(tab.X, [[1], [2]]);
  });

  it("no features, duplicate features, the target as a feature", async () => {
    const path = people();
    await rejectsValueKeepingFile(path, () => datasetFromCsv(path, { target: "label", features: [] }), "features", "at least one");
    await rejectsValueKeepingFile(
      path,
      () => datasetFromCsv(path, { target: "label", features: ["age", "height", "age"] }),
      '"age"',
      "twice",
    );
    await rejectsValueKeepingFile(path, () => datasetFromCsv(path, { target: "label", features: ["age", "label"] }), '"label"', "target");
    await rejectsValueKeepingFile(path, () => datasetFromCsv(path, { features: "age" as never }), "features", '"age"');
    await rejectsValueKeepingFile(path, () => datasetFromCsv(path, { features: ["age", 3 as never] }), "features", "3");
  });

  it("names not in the header, with a did-you-mean", async () => {
    const path = people();
    await rejectsValueKeepingFile(
      path,
      () => datasetFromCsv(path, { target: "label", features: ["agee"] }),
      '"agee"',
      'Did you mean "age"',
    );
    await rejectsValueKeepingFile(path, () => datasetFromCsv(path, { target: "lable" }), '"lable"', 'Did you mean "label"');
    await rejectsValueKeepingFile(path, () => datasetFromCsv(path, { target: 3 as never }), "target", "3");
    await rejectsValueKeepingFile(
      path,
      () => datasetFromCsv(path, { task: "clasification" as never }),
      '"clasification"',
      '"classification"',
    );
  });

  it("ragged rows name the line", async () => {
    const path = file("ragged-data.csv", "x;y\n1;a\n2;b;3\n");
    await rejectsValueKeepingFile(path, () => datasetFromCsv(path), "line 3", "3 fields", "header has 2");
  });

  it("no usable rows or columns is an error, not an empty success", async () => {
    const cases: [string, string, string[]][] = [
      ["only-target.csv", "y\n1\n2\n", ["no feature", '"y"']],
      ["blank-rows.csv", "x,y\n\n\n", ["no data rows"]],
      ["no-target.csv", "x,y\n1,\n2,NA\n", ['"y"', "missing on line 2"]],
      ["empty-feature.csv", "x,z,y\n1,,a\n2,NA,b\n", ['"z"', "no values"]],
      ["infinite-feature.csv", "x,y\n1,a\n-inf,b\n", ['"x"', "line 3", "-Infinity", "finite"]],
      ["infinite-target.csv", "x,y\n1,2.5\n2,Infinity\n3,1.5\n", ['"y"', "line 3", "Infinity", "finite"]],
    ];
    for (const [name, text, fragments] of cases) {
      const path = file(name, text);
      await rejectsValueKeepingFile(path, () => datasetFromCsv(path), name, ...fragments);
    }
  });
});
