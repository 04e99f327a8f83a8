/**
 * A small RFC 4180 CSV reader in plain JavaScript, so that loading X and y never
 * needs danfo.js. Columns whose every present cell is a number become numbers
 * (missing cells NaN); other columns stay strings (missing cells null).
 */
import { readFileSync, statSync } from "node:fs";
import { show, ValueError } from "../core/errors.js";

export type CsvCell = number | string | null;

/** A parsed CSV: the header's column names and the rows, typed per column. */
export interface CsvTable {
  columns: string[];
  /** For each column, whether it was read as numbers. */
  numeric: boolean[];
  rows: CsvCell[][];
}

export interface ParseCsvOptions {
  /** Where the text came from, for error messages. Default "CSV text". */
  source?: string;
  /** Field separator, one character. Default ",". */
  delimiter?: string;
}

/** Cells read as missing values. */
const MISSING = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"]);

/** Parse CSV text with a header row. */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const source = options.source ?? "CSV text";
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new ValueError(`parseCsv: delimiter must be one character other than a quote or newline, got ${show(delimiter)}.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new ValueError(`${source} is empty; a CSV needs a header row and at least one data row.`);
  const records = splitRecords(text, delimiter, source);
  const [header, ...body] = records;
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
          `but the header has ${columns.length}; every row needs one value per column.`,
      );
    }
  }
  const numeric = columns.map((_, j) =>
    body.every((record) => {
      const cell = record.fields[j].trim();
      return MISSING.has(cell) || isNumber(cell);
    }),
  );
  const rows = body.map((record) =>
    record.fields.map((raw, j): CsvCell => {
      const cell = raw.trim();
      if (numeric[j]) return MISSING.has(cell) ? Number.NaN : Number(cell);
      return MISSING.has(cell) ? null : raw;
    }),
  );
  return { columns, numeric, rows };
}

function isNumber(cell: string): boolean {
  return cell !== "" && Number.isFinite(Number(cell));
}

interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/** Split into records, honouring quoted fields (with "" escapes and embedded newlines); blank lines are skipped. */
function splitRecords(text: string, delimiter: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0].trim() === "" && !fieldStarted;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === "") {
      quoted = true;
      quoteLine = line;
      field = "";
      fieldStarted = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = "";
      fieldStarted = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new ValueError(`${source}: the quoted field opened on line ${quoteLine} is never closed.`);
  if (field !== "" || fields.length > 0 || fieldStarted) endRecord();
  return records;
}

/** Read and parse a CSV file, with clear errors for a missing, unreadable or empty file. */
export function readCsvTable(path: string, options: Omit<ParseCsvOptions, "source"> = {}): CsvTable {
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
  return parseCsv(text, { ...options, source: path });
}
