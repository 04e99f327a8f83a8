/**
 * The field delimiter of a CSV file: the one the caller names, or the one
 * found in the text. Like Python's `csv.Sniffer` (pandas' `sep=None`) and
 * Papa Parse (danfo.js's `readCSV`), detection looks for the candidate that
 * splits the lines into a steady number of fields; unlike them it never
 * guesses between two that both fit, but asks for `{ delimiter }`.
 */
import { show, ValueError } from "../core/errors.js";
import { splitRecords } from "./csv-records.js";

/** The delimiters detection tries. */
export const DELIMITERS: readonly string[] = [",", ";", "\t", "|"];

/** A delimiter is one character other than a quote or a line end. */
export function checkDelimiter(where: string, delimiter: unknown): string {
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new ValueError(
      `${where}: delimiter must be one character other than a quote or a line end (e.g. ${DELIMITERS.map((d) => show(d)).join(", ")}), ` +
        `got ${show(delimiter)}.`,
    );
  }
  return delimiter;
}

/**
 * The delimiter of `text` (without a BOM): the one candidate that splits the
 * header into two or more fields and every record into as many; "," when no
 * candidate splits the header (a file of one column). Two candidates that
 * both fit, or several that split the header while none fits every record,
 * make the file ambiguous: it is refused, asking for `{ delimiter }`.
 */
export function detectDelimiter(text: string, source: string): string {
  const splitting = DELIMITERS.filter((delimiter) => headerWidth(text, delimiter, source) >= 2);
  if (splitting.length === 0) return ",";
  if (splitting.length === 1) return splitting[0];
  const trials = splitting.map((delimiter) => ({ delimiter, mismatch: firstMismatch(text, delimiter, source) }));
  const fitting = trials.filter((trial) => trial.mismatch === undefined);
  if (fitting.length === 1) return fitting[0].delimiter;
  const reason =
    fitting.length > 1
      ? `${listed(fitting.map((trial) => trial.delimiter))} each split every line into the same number of fields`
      : `the header splits on ${listed(splitting)}, but on none of them does every row split alike (${trials
          .map((trial) => `with ${show(trial.delimiter)} ${trial.mismatch}`)
          .join("; ")})`;
  const options = (fitting.length > 1 ? fitting.map((trial) => trial.delimiter) : splitting).map((d) => `{ delimiter: ${show(d)} }`);
  throw new ValueError(`${source}: cannot tell the delimiter: ${reason}. Name it, e.g. ${options.join(" or ")}.`);
}

function headerWidth(text: string, delimiter: string, source: string): number {
  try {
    return splitRecords(text, delimiter, source, 1)[0]?.fields.length ?? 0;
  } catch (error) {
    if (error instanceof ValueError) return 0;
    throw error;
  }
}

/** How the records fail to split into the header's number of fields, or undefined when they all do. */
function firstMismatch(text: string, delimiter: string, source: string): string | undefined {
  let records: ReturnType<typeof splitRecords>;
  try {
    records = splitRecords(text, delimiter, source);
  } catch (error) {
    if (error instanceof ValueError) return "a quoted field is never closed";
    throw error;
  }
  const width = records[0].fields.length;
  const ragged = records.find((record) => record.fields.length !== width);
  return ragged && `line ${ragged.line} has ${ragged.fields.length} fields, the header ${width}`;
}

function listed(delimiters: readonly string[]): string {
  const shown = delimiters.map((d) => show(d));
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}
