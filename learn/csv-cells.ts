/**
 * What one CSV cell holds: a missing value, a number or text, decided as
 * pandas.read_csv decides with its defaults (C parser, `keep_default_na`), so
 * a file reads the same in a notebook here as in Python:
 *
 * - Missing: exactly one of pandas' default `na_values` ("", "NA", "N/A",
 *   "n/a", "NaN", "nan", "-NaN", "-nan", "null", "NULL", "None", "<NA>",
 *   "#N/A", "#N/A N/A", "#NA", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN").
 *   Unlike pandas, spaces and tabs around a marker are ignored (" NA ", and a
 *   cell of spaces, are missing), as they are around a number.
 * - A number: a decimal literal — optional sign, digits with an optional
 *   point, or a point and digits, then an optional exponent ("12", "-0",
 *   "+.5", "5.", "1e5", "-1.5E-3") — with spaces and tabs around it ignored;
 *   or "inf"/"infinity" in any case, signed or not, for ±Infinity. "-0" is
 *   negative zero, as in Python's `float("-0")` and pandas' float columns.
 * - Text: everything else, among it JavaScript's own literals, which
 *   `Number()` would read as numbers ("0x10" as 16, "0b11", "0o7", "" as 0,
 *   "Infinity" only in that case), Python's "1_000", "1,5" and "1 000", and a
 *   literal too large for a double ("1e400"), which pandas keeps as text.
 */

const MISSING = new Set([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;

/** The cell without the spaces and tabs around it (pandas ignores no other padding). */
function unpadded(cell: string): string {
  return cell.replace(/^[ \t]+|[ \t]+$/g, "");
}

/** Whether the cell is a missing-value marker. */
export function isMissingCell(cell: string): boolean {
  return MISSING.has(unpadded(cell));
}

/** The cell's number, or undefined when the cell is not a number. */
export function numberInCell(cell: string): number | undefined {
  const text = unpadded(cell);
  if (DECIMAL.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  const infinity = INFINITY.exec(text);
  if (infinity) return infinity[1] === "-" ? -Infinity : Infinity;
  return undefined;
}
