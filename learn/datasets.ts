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
import { type CsvCell, type CsvTable, readCsvTable } from "./csv.js";
import { frameFromColumns } from "./frame.js";
import { type Label, uniqueLabels } from "./labels.js";

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
  const table = readCsvTable(join(findPackageRoot(), "data", `${known}.csv`));
  return arraysFromTable(table, `${known}.csv`, table.columns.at(-1)!, DATASETS[known]);
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
  const table = readCsvTable(join(findPackageRoot(), "data", `${known}.csv`));
  const arrays = arraysFromTable(table, `${known}.csv`, table.columns.at(-1)!, DATASETS[known]);
  return { ...arrays, frame: await tableFrame(table) };
}

/** A CSV file as a danfo.js DataFrame, with clear errors for a missing or empty file and ragged rows. */
export async function readCsv(path: string): Promise<DataFrame> {
  return tableFrame(readCsvTable(path));
}

export interface DatasetFromCsvOptions {
  /** The target column. Default: the last column. */
  target?: string;
  /** Feature columns, in order. Default: every column but the target. */
  features?: string[];
  /**
   * Default: "classification" for a text target or an integer target with at
   * most 20 distinct values, "regression" otherwise.
   */
  task?: Task;
}

/** Your own CSV file as a dataset: numeric feature columns and a target column. */
export async function datasetFromCsv(path: string, options: DatasetFromCsvOptions = {}): Promise<Dataset> {
  checkOptionKeys("datasetFromCsv", options, ["target", "features", "task"]);
  const table = readCsvTable(path);
  const target = options.target ?? table.columns.at(-1)!;
  const arrays = arraysFromTable(table, path, target, options.task, options.features);
  return { ...arrays, frame: await tableFrame(table) };
}

function tableFrame(table: CsvTable): Promise<DataFrame> {
  return frameFromColumns(Object.fromEntries(table.columns.map((name, j) => [name, table.rows.map((row) => row[j])])));
}

function arraysFromTable(table: CsvTable, source: string, target: string, task?: Task, features?: string[]): DatasetArrays {
  const columnIndex = new Map(table.columns.map((name, j) => [name, j]));
  const targetColumn = columnIndex.get(target);
  if (targetColumn === undefined) {
    throw new ValueError(`${source}: no target column ${show(target)}; the columns are ${show(table.columns)}.`);
  }
  const featureNames = features ?? table.columns.filter((name) => name !== target);
  const featureColumns = featureNames.map((name) => {
    const j = columnIndex.get(name);
    if (j === undefined) throw new ValueError(`${source}: no feature column ${show(name)}; the columns are ${show(table.columns)}.`);
    if (j === targetColumn) throw new ValueError(`${source}: ${show(name)} is the target; it cannot also be a feature.`);
    if (!table.numeric[j]) {
      const example = table.rows.find((row) => typeof row[j] === "string")?.[j];
      throw new ValueError(
        `${source}: feature column ${show(name)} holds text (e.g. ${show(example)}); the models need numbers. ` +
          `Encode it as numbers first, or leave it out with { features }.`,
      );
    }
    return j;
  });
  const X = table.rows.map((row) => featureColumns.map((j) => row[j] as number));
  const rawY: CsvCell[] = table.rows.map((row) => row[targetColumn]);
  const missing = rawY.findIndex((value) => value === null || (typeof value === "number" && Number.isNaN(value)));
  if (missing >= 0) {
    throw new ValueError(`${source}: the target ${show(target)} is missing on data row ${missing + 1}; drop rows without a target.`);
  }
  const y = rawY as Label[];
  const resolved = task ?? inferTask(y);
  if (resolved === "regression") {
    if (!table.numeric[targetColumn]) {
      throw new ValueError(`${source}: a regression target must be numeric, but ${show(target)} holds text (e.g. ${show(y[0])}).`);
    }
    return { task: "regression", X, y: y as number[], featureNames, targetName: target };
  }
  if (resolved !== "classification") {
    throw new ValueError(`datasetFromCsv: task must be "classification" or "regression", got ${show(resolved)}.`);
  }
  return { task: "classification", X, y, classes: uniqueLabels(source, y), featureNames, targetName: target };
}

function inferTask(y: readonly Label[]): Task {
  if (y.some((value) => typeof value === "string")) return "classification";
  const values = y as readonly number[];
  return values.every(Number.isInteger) && new Set(values).size <= 20 ? "classification" : "regression";
}
