/** Splitting CSV text into records of raw fields (RFC 4180 quoting), for one delimiter. */
import { ValueError } from "../core/errors.js";

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/**
 * Split into records, honouring quoted fields (with "" escapes and embedded
 * newlines and delimiters); LF, CRLF and CR end a record; blank lines are
 * skipped. With `limit`, stop after that many records.
 */
export function splitRecords(text: string, delimiter: string, source: string, limit = Infinity): CsvRecord[] {
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
  for (let i = 0; i < text.length && records.length < limit; i++) {
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
  if (records.length >= limit) return records;
  if (quoted) throw new ValueError(`${source}: the quoted field opened on line ${quoteLine} is never closed.`);
  if (field !== "" || fields.length > 0 || fieldStarted) endRecord();
  return records;
}
