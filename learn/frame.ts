/**
 * danfo.js, loaded on first use: importing it costs time that splitters,
 * metrics and models never need to pay.
 */
import type { DataFrame } from "danfojs-node";

export type Danfo = typeof import("danfojs-node");

let danfo: Promise<Danfo> | undefined;

/** The danfojs-node module (imported once). */
export function loadDanfo(): Promise<Danfo> {
  danfo ??= import("danfojs-node").then((module) => {
    keepFrameMembers(module.DataFrame);
    return module;
  });
  return danfo;
}

interface ColumnProperties {
  columns: string[];
  $setInternalColumnDataProperty(column?: string): void;
  $getColumnData(column: string): unknown;
  $setColumnData(column: string, values: unknown): void;
}

/**
 * danfo.js makes each column a property of its frame (`df.age`), defined over
 * whatever the frame had under that name: a column called "toString",
 * "columns", "print" or "sum" hides the method and breaks the frame. As
 * pandas does for attribute access, a column gets a property only where the
 * name is free; `df.column(name)` reads any column.
 */
function keepFrameMembers(frameClass: Danfo["DataFrame"]): void {
  let owner: object | null = frameClass.prototype;
  while (owner && !Object.hasOwn(owner, "$setInternalColumnDataProperty")) owner = Object.getPrototypeOf(owner);
  if (!owner) return;
  (owner as ColumnProperties).$setInternalColumnDataProperty = function (this: ColumnProperties, column?: string) {
    const names = typeof column === "string" && column !== "" ? [column] : this.columns;
    for (const name of names) {
      if (name in this) continue;
      Object.defineProperty(this, name, {
        get: () => this.$getColumnData(name),
        set: (values: unknown) => this.$setColumnData(name, values),
      });
    }
  };
}

export type FrameCell = number | string | boolean | null;

/** A DataFrame from named columns of equal length, in order; any string is a column name. */
export async function frameFromColumns(
  names: readonly string[],
  columns: readonly (readonly FrameCell[])[],
  index?: readonly string[],
): Promise<DataFrame> {
  const { DataFrame } = await loadDanfo();
  const rows = Array.from({ length: columns[0]?.length ?? 0 }, (_, i) => columns.map((column) => column[i]));
  return new DataFrame(rows, { columns: [...names], ...(index ? { index: [...index] } : {}) });
}

/** A DataFrame from records that share their keys (a key a record lacks reads as null). */
export async function frameFromRecords(records: readonly Record<string, FrameCell>[], index?: readonly string[]): Promise<DataFrame> {
  const names = records.length > 0 ? Object.keys(records[0]) : [];
  const columns = names.map((name) => records.map((record) => (Object.hasOwn(record, name) ? record[name] : null)));
  return frameFromColumns(names, columns, index);
}
