/**
 * A parsed CSV table as a dataset's X and y: the target and feature columns
 * chosen by name and checked, so that a wrong name, a text feature or a row
 * without a target is refused with its line rather than becoming a dataset
 * with no features or NaN labels.
 */
import { closest, show, ValueError } from "../core/errors.js";
import type { CsvCell, CsvTable } from "./csv.js";
import type { DatasetArrays, Task } from "./datasets.js";
import { type Label, uniqueLabels } from "./labels.js";

const TASKS: readonly Task[] = ["classification", "regression"];

/** Which columns make the dataset, and its task. */
export interface ColumnChoice {
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

/** Check a column choice's values as given, before any file is read. */
export function checkColumnChoice(where: string, choice: ColumnChoice): void {
  const { target, features, task } = choice;
  if (target !== undefined && (typeof target !== "string" || target === "")) {
    throw new ValueError(`${where}: target must be a column name, got ${show(target)}.`);
  }
  if (features !== undefined) {
    if (!Array.isArray(features)) {
      throw new ValueError(`${where}: features must be a list of column names, e.g. ["age", "height"]; got ${show(features)}.`);
    }
    if (features.length === 0) {
      throw new ValueError(
        `${where}: features is empty; list at least one feature column, or leave features out to use every column but the target.`,
      );
    }
    const seen = new Set<string>();
    for (const name of features) {
      if (typeof name !== "string" || name === "") throw new ValueError(`${where}: features must be column names, got ${show(name)}.`);
      if (seen.has(name)) throw new ValueError(`${where}: features names ${show(name)} twice; list each feature column once.`);
      seen.add(name);
    }
  }
  if (task !== undefined && !TASKS.includes(task)) {
    const hint = typeof task === "string" ? closest(task, TASKS) : undefined;
    throw new ValueError(
      `${where}: task must be "classification" or "regression", got ${show(task)}.${hint ? ` Did you mean ${show(hint)}?` : ""}`,
    );
  }
}

/** X and y from a table's columns, per a checked `ColumnChoice`; the target defaults to the last column. */
export function arraysFromTable(table: CsvTable, source: string, choice: ColumnChoice): DatasetArrays {
  const target = choice.target ?? table.columns.at(-1)!;
  const targetColumn = columnOf(table, source, "target", target);
  const featureNames = choice.features ?? table.columns.filter((name) => name !== target);
  if (featureNames.length === 0) {
    throw new ValueError(
      `${source}: no feature columns: the target ${show(target)} is the only column; a dataset needs at least one feature.`,
    );
  }
  const featureColumns = featureNames.map((name) => {
    const j = columnOf(table, source, "feature", name);
    if (j === targetColumn) throw new ValueError(`${source}: ${show(name)} is the target; it cannot also be a feature.`);
    checkFeatureColumn(table, source, name, j);
    return j;
  });
  const X = table.rows.map((row) => featureColumns.map((j) => row[j] as number));
  const y = targetValues(table, source, target, targetColumn);
  const task = choice.task ?? inferTask(y);
  if (task === "regression") {
    if (!table.numeric[targetColumn]) {
      throw new ValueError(`${source}: a regression target must be numeric, but ${show(target)} holds text (e.g. ${show(y[0])}).`);
    }
    return { task, X, y: y as number[], featureNames, targetName: target };
  }
  return { task, X, y, classes: uniqueLabels(source, y), featureNames, targetName: target };
}

/** The position of column `name`, or an error naming the closest column. */
function columnOf(table: CsvTable, source: string, role: "target" | "feature", name: string): number {
  const j = table.columns.indexOf(name);
  if (j >= 0) return j;
  const hint = closest(name, table.columns);
  throw new ValueError(
    `${source}: no ${role} column ${show(name)}.${hint ? ` Did you mean ${show(hint)}?` : ""} The columns are ${show(table.columns)}.`,
  );
}

/** A feature column must hold numbers, at least one of them, and no infinity. */
function checkFeatureColumn(table: CsvTable, source: string, name: string, j: number): void {
  const { rows, lines } = table;
  if (!table.numeric[j]) {
    const i = rows.findIndex((row) => typeof row[j] === "string");
    throw new ValueError(
      `${source}: feature column ${show(name)} holds text (e.g. ${show(rows[i][j])} on line ${lines[i]}); the models need numbers. ` +
        `Encode it as numbers first, or leave it out with { features }.`,
    );
  }
  if (rows.every((row) => Number.isNaN(row[j]))) {
    throw new ValueError(`${source}: feature column ${show(name)} has no values (every cell is missing); leave it out with { features }.`);
  }
  const i = rows.findIndex((row) => !Number.isFinite(row[j]) && !Number.isNaN(row[j]));
  if (i >= 0) {
    throw new ValueError(
      `${source}: feature column ${show(name)} is ${rows[i][j]} on line ${lines[i]}; features must be finite numbers ` +
        `(write a missing value as NA or an empty cell).`,
    );
  }
}

/** The target of every row: present and, if a number, finite. */
function targetValues(table: CsvTable, source: string, target: string, j: number): Label[] {
  return table.rows.map((row, i): Label => {
    const value: CsvCell = row[j];
    if (value === null || Number.isNaN(value)) {
      throw new ValueError(`${source}: the target ${show(target)} is missing on line ${table.lines[i]}; drop rows without a target.`);
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new ValueError(`${source}: the target ${show(target)} is ${value} on line ${table.lines[i]}; a numeric target must be finite.`);
    }
    return value;
  });
}

function inferTask(y: readonly Label[]): Task {
  if (y.some((value) => typeof value === "string")) return "classification";
  const values = y as readonly number[];
  return values.every(Number.isInteger) && new Set(values).size <= 20 ? "classification" : "regression";
}
