import type { MimeBundle } from "./output.js";
import { escapeHtml, type TableValue, tableHtml, tableText } from "./table.js";

/** What `show` needs of a danfo.js DataFrame or Series (read, never changed). */
export interface FrameLike {
  shape: number[];
  index: (string | number)[];
  values: unknown[];
  columns?: string[];
}

/** True for a danfo.js DataFrame or Series. */
export function isFrameLike(value: unknown): value is FrameLike {
  if (value === null || typeof value !== "object") return false;
  const v = value as Partial<FrameLike>;
  return (
    Array.isArray(v.shape) &&
    v.shape.length === 2 &&
    Array.isArray(v.index) &&
    Array.isArray(v.values) &&
    ["DataFrame", "Series"].includes(value.constructor?.name ?? "")
  );
}

/**
 * The first `rows` rows as an HTML table with the index, and the shape — as a
 * notebook shows a pandas frame. A Series shows as one column.
 */
export function frameBundle(frame: FrameLike, options: { rows?: number } = {}): MimeBundle {
  const limit = options.rows ?? 10;
  const [nRows, nCols] = frame.shape;
  const isSeries = frame.values.length > 0 ? !Array.isArray(frame.values[0]) : nCols === 1 && !frame.columns;
  const columns = ["", ...(frame.columns ?? (isSeries ? ["value"] : []))];
  const shown = Math.min(limit, nRows);
  const rows: TableValue[][] = [];
  for (let i = 0; i < shown; i++) {
    const cells = isSeries ? [frame.values[i]] : (frame.values[i] as unknown[]);
    rows.push([frame.index[i] as TableValue, ...cells.map(cell)]);
  }
  const shape = isSeries ? `${nRows} rows` : `${nRows} rows × ${nCols} columns`;
  const more = nRows > shown ? ` (first ${shown} shown)` : "";
  const numeric = columns.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === "number"));
  return {
    "text/html": `${tableHtml(columns, rows, { numeric })}\n<p style="margin:.2em 0;color:#555">${escapeHtml(shape + more)}</p>`,
    "text/plain": `${tableText(columns, rows, { numeric })}\n${shape}${more}`,
  };
}

function cell(value: unknown): TableValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}
