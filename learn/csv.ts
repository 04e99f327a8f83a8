/**
 * A small RFC 4180 CSV reader in plain JavaScript, so that loading X and y never
 * needs danfo.js: the delimiter detected or given, cells typed by pandas' rules.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { recordDataset } from "../core/dataset-fingerprints.js";
import { checkOptionKeys, show, ValueError } from "../core/errors.js";
import { isMissingCell, numberInCell } from "./csv-cells.js";
import { checkDelimiter, detectDelimiter } from "./csv-delimiter.js";
import { splitRecords } from "./csv-records.js";

export type CsvCell = number | string | null;

/** A parsed CSV: the header's column names and the rows, typed per column. */
export interface CsvTable {
  columns: string[];
  /** For each column, whether it was read as numbers. */
  numeric: boolean[];
  rows: CsvCell[][];
  /** For each row, the 1-based line of the file where it starts. */
  lines: number[];
  /** The field delimiter: the one given, or the one detected. */
  delimiter: string;
}

export interface ParseCsvOptions {
  /** Where the text came from, for error messages. Default "CSV text". */
  source?: string;
  /**
   * Field delimiter, one character. Default: detected among ",", ";", tab and
   * "|" (see `detectDelimiter`); a file where two of them fit is refused.
   */
  delimiter?: string;
}

/** Options of the functions that read a CSV file. */
export type ReadCsvOptions = Omit<ParseCsvOptions, "source">;

/**
 * Parse CSV text with a header row. Each column whose every cell is a number
 * or missing becomes numbers (missing cells NaN); any other column stays text
 * (missing cells null). What counts as a number or as missing is pandas'
 * rule: see csv-cells.ts.
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  checkOptionKeys("parseCsv", options, ["source", "delimiter"]);
  const { source = "CSV text", delimiter: given } = options ?? {};
  if (typeof text !== "string") throw new ValueError(`parseCsv: text must be a string, got ${show(text)}.`);
  if (given !== undefined) checkDelimiter(source, given);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new ValueError(`${source} is empty; a CSV needs a header row and at least one data row.`);
  const delimiter = given ?? detectDelimiter(text, source);
  const [header, ...body] = splitRecords(text, delimiter, source);
  const columns = header.fields.map((name) => name.trim());
  const seen = new Map<string, number>();
  columns.forEach((name, j) => {
    if (name === "") throw new ValueError(`${source}: column ${j + 1} of the header has no name; give every column a name.`);
    if (seen.has(name)) {
      throw new ValueError(`${source}: the header names column ${show(name)} twice (columns ${seen.get(name)! + 1} and ${j + 1}).`);
    }
    seen.set(name, j);
  });
  if (body.length === 0) throw new ValueError(`${source} has a header but no data rows.`);
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      throw new ValueError(
        `${source}: line ${record.line} has ${record.fields.length} field${record.fields.length === 1 ? "" : "s"} ` +
          `but the header has ${columns.length}; every row needs one value per column` +
          (given === undefined ? ` (the delimiter read is ${show(delimiter)}; name another with { delimiter }).` : "."),
      );
    }
  }
  // Each cell as missing (null), a number, or its text; then a column of numbers and missing cells is numeric.
  const typed = body.map(({ fields }) => fields.map((cell) => (isMissingCell(cell) ? null : (numberInCell(cell) ?? cell))));
  const numeric = columns.map((_, j) => typed.every((row) => typeof row[j] !== "string"));
  const rows = typed.map((row, i) =>
    row.map((value, j): CsvCell => {
      if (numeric[j]) return value ?? Number.NaN;
      return value === null ? null : body[i].fields[j];
    }),
  );
  return { columns, numeric, rows, lines: body.map((record) => record.line), delimiter };
}

/**
 * Read and parse a CSV file, with clear errors for a missing, unreadable or empty file. The
 * file is recorded (name, rows, columns, sha256) for the provenance of the studies tuned on it.
 */
export function readCsvTable(path: string, options: ReadCsvOptions = {}): CsvTable {
  checkOptionKeys("readCsv", options, ["delimiter"]);
  if (typeof path !== "string" || path === "") throw new ValueError(`readCsv: path must be a file path, got ${show(path)}.`);
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new ValueError(`readCsv: ${show(path)} is a directory, not a CSV file.`);
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ValueError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new ValueError(`readCsv: no file at ${show(path)}; check the path (relative paths start at ${show(process.cwd())}).`);
    throw new ValueError(`readCsv: cannot read ${show(path)}: ${(error as Error).message}.`);
  }
  const table = parseCsv(text, { ...options, source: path });
  // Kept for the provenance of studies tuned on it: which file, its shape, a hash of its content.
  recordDataset({
    name: basename(path),
    path,
    rows: table.rows.length,
    columns: table.columns,
    sha256: createHash("sha256").update(text).digest("hex"),
  });
  return table;
}
