import { ValueError } from "../errors.js";

/**
 * A filter that does not parse, or names something unknown: the message gives the
 * position (1-based), what to write instead, and the filter with a caret under the spot.
 * `position` is the 0-based offset and `length` the length of the bad part, for UIs that
 * mark it.
 */
export class TrialFilterError extends ValueError {
  readonly position: number;
  readonly length: number;
  readonly filter: string;
  /** The message without the caret lines. */
  readonly reason: string;

  constructor(filter: string, position: number, length: number, reason: string) {
    super(`${reason}\n  ${oneLine(filter)}\n  ${" ".repeat(position)}${"^".repeat(Math.max(1, length))}`);
    this.position = position;
    this.length = length;
    this.filter = filter;
    this.reason = reason;
  }
}

/** Tabs and newlines shown as spaces, so the caret stays under its character. */
function oneLine(text: string): string {
  return text.replace(/[\t\n\r]/g, " ");
}
