/**
 * Text for a terminal. Names, values and messages can come from a database or an
 * objective, and a terminal acts on the control characters in them: ESC starts
 * sequences that clear the screen, set the window title or hide a link, `\r` overwrites
 * the line, U+009B is an escape of its own, and U+202E reverses what follows. They are
 * shown the way JavaScript and JSON write them, `\n` `\r` `\t` and `\u001b` otherwise,
 * so they are visible and the text around them stays as it was.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` with every control character (C0 and line breaks included, DEL, C1, the
 * bidirectional overrides and isolates) written as an escape: one line, safe to print.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * `printable` line by line: keeps the line breaks of text meant to span lines (a table, a
 * CSV file). On JSON text the escapes it adds are JSON's own, so the JSON stays valid and
 * parses to the same value.
 */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}
