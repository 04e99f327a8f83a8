import type { MimeBundle } from "./output.js";

/** A table cell: numbers are formatted compactly, null/undefined show as empty. */
export type TableValue = string | number | boolean | null | undefined;

export interface TableOptions {
  /** A line above the table (HTML caption, first line of the text form). */
  caption?: string;
  /** Right-align these columns (default: columns whose values are all numbers). */
  numeric?: readonly boolean[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Numbers with up to 6 significant digits, as a table shows them. */
export function formatValue(value: TableValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    if (!Number.isFinite(value)) return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(4);
    return String(Number(value.toPrecision(6)));
  }
  return String(value);
}

/** An HTML table and the same table as aligned text. */
export function tableBundle(columns: readonly string[], rows: readonly (readonly TableValue[])[], options: TableOptions = {}): MimeBundle {
  return { "text/html": tableHtml(columns, rows, options), "text/plain": tableText(columns, rows, options) };
}

export function tableHtml(columns: readonly string[], rows: readonly (readonly TableValue[])[], options: TableOptions = {}): string {
  const numeric = options.numeric ?? numericColumns(columns, rows);
  const align = (i: number) => (numeric[i] ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${columns.map((_, i) => `<td${align(i)}>${escapeHtml(formatValue(row[i]))}</td>`).join("")}</tr>`)
    .join("\n");
  const table = `<table class="tunebook-table"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
  if (!options.caption) return table;
  // A paragraph above the table, not a <caption>: a caption is as wide as its table and wraps into a narrow column.
  return `<div class="tunebook-captioned"><p class="tunebook-caption" style="margin:0 0 0.4em">${escapeHtml(options.caption)}</p>${table}</div>`;
}

export function tableText(columns: readonly string[], rows: readonly (readonly TableValue[])[], options: TableOptions = {}): string {
  const numeric = options.numeric ?? numericColumns(columns, rows);
  const cells = [columns.map(String), ...rows.map((row) => columns.map((_, i) => formatValue(row[i])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const lines = cells.map((r) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return (options.caption ? `${options.caption}\n` : "") + lines.join("\n");
}

function numericColumns(columns: readonly string[], rows: readonly (readonly TableValue[])[]): boolean[] {
  return columns.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === "number"));
}
