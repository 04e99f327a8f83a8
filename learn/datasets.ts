/**
 * The bundled classic datasets (the same rows as scikit-learn's loaders) and
 * your own CSV files, as X/y arrays for the models and a danfo.js DataFrame
 * for exploring.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DataFrame } from "danfojs-node";
import { checkOptionKeys, closest, show, ValueError } from "../core/errors.js";
import { type CsvTable, type ReadCsvOptions, readCsvTable } from "./csv.js";
import { frameFromColumns } from "./frame.js";
import type { Label } from "./labels.js";
import { arraysFromTable, type ColumnChoice, checkColumnChoice } from "./table-arrays.js";

export type Task = "classification" | "regression";

/** Bundled datasets and their task. */
export const DATASETS = {
  iris: "classification",
  wine: "classification",
  breast_cancer: "classification",
  digits: "classification",
  diabetes: "regression",
} as const satisfies Record<string, Task>;

export type DatasetName = keyof typeof DATASETS;
export type ClassificationDatasetName = { [K in DatasetName]: (typeof DATASETS)[K] extends "classification" ? K : never }[DatasetName];
export type RegressionDatasetName = Exclude<DatasetName, ClassificationDatasetName>;

interface ArraysBase {
  /** The features, one row per sample. */
  X: number[][];
  featureNames: string[];
  targetName: string;
}

export interface ClassificationArrays extends ArraysBase {
  task: "classification";
  y: Label[];
  /** The distinct labels of y, sorted. */
  classes: Label[];
}

export interface RegressionArrays extends ArraysBase {
  task: "regression";
  y: number[];
}

export type DatasetArrays = ClassificationArrays | RegressionArrays;

/** Arrays plus every column (features and target) as a danfo.js DataFrame. */
export type Dataset<A extends DatasetArrays = DatasetArrays> = A & { frame: DataFrame };

let packageRoot: string | undefined;

/**
 * The directory of tunebook's package.json, found by walking up from `from`
 * (default: this module's directory), so the bundled data is found from the
 * sources and from dist/ alike.
 */
export function findPackageRoot(from?: string): string {
  if (from === undefined && packageRoot) return packageRoot;
  const start = from ?? dirname(fileURLToPath(import.meta.url));
  let dir = start;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "tunebook") {
          if (from === undefined) packageRoot = dir;
          return dir;
        }
      } catch {
        // not a readable manifest: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`tunebook's package.json was not found above ${start}`);
    dir = parent;
  }
}

function checkName(name: unknown): DatasetName {
  if (typeof name === "string" && Object.hasOwn(DATASETS, name)) return name as DatasetName;
  const known = Object.keys(DATASETS);
  const hint = typeof name === "string" ? closest(name, known) : undefined;
  throw new ValueError(
    `unknown dataset ${show(name)}.${hint ? ` Did you mean ${show(hint)}?` : ""} Known datasets: ${known.join(", ")}; ` +
      `for your own file use datasetFromCsv(path).`,
  );
}

/** The X/y arrays of a bundled dataset, without danfo.js (synchronous and quick). */
export function loadArrays(name: ClassificationDatasetName): ClassificationArrays;
export function loadArrays(name: RegressionDatasetName): RegressionArrays;
export function loadArrays(name: DatasetName): DatasetArrays;
export function loadArrays(name: DatasetName): DatasetArrays {
  const known = checkName(name);
  return arraysFromTable(readBundled(known), `${known}.csv`, { task: DATASETS[known] });
}

function readBundled(name: DatasetName): CsvTable {
  return readCsvTable(join(findPackageRoot(), "data", `${name}.csv`), { delimiter: "," });
}

/**
 * A bundled dataset: `iris`, `wine`, `breast_cancer`, `digits` (classification)
 * or `diabetes` (regression), with its danfo.js DataFrame.
 */
export async function loadDataset(name: ClassificationDatasetName): Promise<Dataset<ClassificationArrays>>;
export async function loadDataset(name: RegressionDatasetName): Promise<Dataset<RegressionArrays>>;
export async function loadDataset(name: DatasetName): Promise<Dataset>;
export async function loadDataset(name: DatasetName): Promise<Dataset> {
  const known = checkName(name);
  const table = readBundled(known);
  const arrays = arraysFromTable(table, `${known}.csv`, { task: DATASETS[known] });
  return { ...arrays, frame: await tableFrame(table) };
}

/**
 * A CSV file as a danfo.js DataFrame, with clear errors for a missing or empty
 * file, an ambiguous delimiter and ragged rows. Numbers and missing values are
 * read as pandas.read_csv reads them (see csv-cells.ts).
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<DataFrame> {
  return tableFrame(readCsvTable(path, options));
}

export interface DatasetFromCsvOptions extends ColumnChoice, ReadCsvOptions {}

/**
 * Your own CSV file as a dataset: numeric feature columns and a target column,
 * chosen by name (a misspelt name gets a did-you-mean).
 */
export async function datasetFromCsv(path: string, options: DatasetFromCsvOptions = {}): Promise<Dataset> {
  const where = "datasetFromCsv";
  checkOptionKeys(where, options, ["target", "features", "task", "delimiter"]);
  const { delimiter, ...choice } = options ?? {};
  checkColumnChoice(where, choice);
  const table = readCsvTable(path, { delimiter });
  const arrays = arraysFromTable(table, path, choice);
  return { ...arrays, frame: await tableFrame(table) };
}

function tableFrame(table: CsvTable): Promise<DataFrame> {
  return frameFromColumns(
    table.columns,
    table.columns.map((_, j) => table.rows.map((row) => row[j])),
  );
}
