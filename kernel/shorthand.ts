import type * as ts from "@tslab/typescript-for-tslab";
import type { Converter, Diagnostic, DiagnosticPos } from "tslab/dist/converter.js";

/**
 * Shorthand properties spelled out before tslab compiles a cell. tslab reads a
 * variable of an earlier cell through `exports`, but misses it in a shorthand
 * property: `{ points }` compiles to itself and throws "points is not defined" at
 * run time. Written `{ points: points }`, it works, and means the same in every
 * object literal (a destructuring assignment `({ a = 1 } = o)` included). The
 * compiler's diagnostics are mapped back to the cell as written.
 */

/** The parts of the TypeScript compiler the expansion reads a cell with. */
export type CellParser = Pick<typeof ts, "createSourceFile" | "forEachChild" | "isShorthandPropertyAssignment" | "ScriptTarget">;

/** Text added to the source: `length` characters right after `at` (an offset in the source as written). */
export interface Insertion {
  at: number;
  length: number;
}

export interface ExpandedCell {
  code: string;
  insertions: Insertion[];
}

/** `source` with every shorthand property `name` written `name: name`, and where text was added. */
export function expandShorthands(parser: CellParser, source: string): ExpandedCell {
  const file = parser.createSourceFile("cell.ts", source, parser.ScriptTarget.Latest);
  const found: { at: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (parser.isShorthandPropertyAssignment(node)) {
      const name = source.slice(node.name.getStart(file), node.name.end);
      found.push({ at: node.name.end, text: `: ${name}` });
    }
    parser.forEachChild(node, visit);
  };
  visit(file);
  found.sort((a, b) => a.at - b.at);
  let code = "";
  let copied = 0;
  for (const { at, text } of found) {
    code += source.slice(copied, at) + text;
    copied = at;
  }
  code += source.slice(copied);
  return { code, insertions: found.map(({ at, text }) => ({ at, length: text.length })) };
}

/** A position in the expanded code, as a position in the source as written (inside added text: the end of the name). */
export function writtenPosition(source: string, insertions: readonly Insertion[], position: DiagnosticPos): DiagnosticPos {
  let shift = 0;
  let offset: number | undefined;
  for (const { at, length } of insertions) {
    const start = at + shift;
    if (position.offset <= start) break;
    if (position.offset < start + length) {
      offset = at;
      break;
    }
    shift += length;
  }
  offset ??= position.offset - shift;
  const before = source.slice(0, offset);
  return { offset, line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** `converter` whose `convert` compiles cells with their shorthand properties spelled out. */
export function expandingShorthands(converter: Converter, parser: CellParser): Converter {
  const convert = converter.convert.bind(converter);
  converter.convert = (previous, source) => {
    const { code, insertions } = expandShorthands(parser, source);
    const result = convert(previous, code);
    if (insertions.length === 0) return result;
    const written = (d: Diagnostic): Diagnostic =>
      d.fileName === undefined || d.fileName === ""
        ? { ...d, start: writtenPosition(source, insertions, d.start), end: writtenPosition(source, insertions, d.end) }
        : d;
    return { ...result, diagnostics: result.diagnostics.map(written) };
  };
  return converter;
}
