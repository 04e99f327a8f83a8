/**
 * danfo.js, loaded on first use: importing it costs time that splitters,
 * metrics and models never need to pay.
 */
import type { DataFrame } from "danfojs-node";

export type Danfo = typeof import("danfojs-node");

let danfo: Promise<Danfo> | undefined;

/** The danfojs-node module (imported once). */
export function loadDanfo(): Promise<Danfo> {
  danfo ??= import("danfojs-node");
  return danfo;
}

export type FrameCell = number | string | boolean | null;

/** A DataFrame from named columns of equal length (column order kept). */
export async function frameFromColumns(columns: Record<string, readonly FrameCell[]>, index?: readonly string[]): Promise<DataFrame> {
  const { DataFrame } = await loadDanfo();
  const data = Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, [...values]]));
  return new DataFrame(data, index ? { index: [...index] } : undefined);
}

/** A DataFrame from records that share their keys. */
export async function frameFromRecords(records: readonly Record<string, FrameCell>[], index?: readonly string[]): Promise<DataFrame> {
  const names = records.length > 0 ? Object.keys(records[0]) : [];
  return frameFromColumns(Object.fromEntries(names.map((name) => [name, records.map((r) => r[name])])), index);
}
