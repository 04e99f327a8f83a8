import { show } from "../errors.js";
import { TrialFilterError } from "./errors.js";

/** The tokens of a trial filter. */
export type TokenType = "number" | "string" | "word" | "op" | "punct" | "end";

export interface Token {
  type: TokenType;
  /** The text as written (for a string, its decoded value). */
  text: string;
  /** 0-based offset in the filter, and length as written. */
  start: number;
  length: number;
  /** A number literal's value. */
  number?: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPS = ["!=", "<=", ">=", "=", "<", ">"];
const PUNCT = "().,[]";
/** What people type from other languages, and what to write here. */
const FOREIGN: Record<string, string> = { "==": "=", "&&": "and", "||": "or", "<>": "!=" };
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "`": "`" };

/** Splits a filter into tokens; throws `TrialFilterError` at the first character that cannot start one. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\u0000") throw new TrialFilterError(text, i, 1, `a NUL character at ${i + 1}; filters cannot hold one.`);
    const two = text.slice(i, i + 2);
    if (FOREIGN[two]) {
      const fixed = `${text.slice(0, i).trimEnd()} ${FOREIGN[two]} ${text.slice(i + 2).trimStart()}`.trim();
      const hint = fixed.length <= 120 ? `did you mean ${show(fixed)}?` : `write ${show(FOREIGN[two])}.`;
      throw new TrialFilterError(text, i, 2, `unexpected ${show(two)} at ${i + 1}; ${hint}`);
    }
    if (c === '"' || c === "'") {
      const token = readString(text, i);
      tokens.push(token);
      i += token.length;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number && (c !== "-" || /[\d.]/.test(text[i + 1] ?? ""))) {
      tokens.push({ type: "number", text: number[0], start: i, length: number[0].length, number: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ type: "word", text: word[0], start: i, length: word[0].length });
      i += word[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ type: "op", text: op, start: i, length: op.length });
      i += op.length;
      continue;
    }
    if (PUNCT.includes(c)) {
      tokens.push({ type: "punct", text: c, start: i, length: 1 });
      i++;
      continue;
    }
    const hint = c === "!" ? ' Write "not" to negate, "!=" for not equal.' : c === "`" ? " Quote names with double quotes." : "";
    throw new TrialFilterError(text, i, 1, `unexpected ${show(c)} at ${i + 1}.${hint}`);
  }
  tokens.push({ type: "end", text: "", start: text.length, length: 0 });
  return tokens;
}

function readString(text: string, start: number): Token {
  const quote = text[start];
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === quote) return { type: "string", text: value, start, length: i + 1 - start };
    if (c === "\u0000") throw new TrialFilterError(text, i, 1, `a NUL character at ${i + 1}; filters cannot hold one.`);
    if (c === "\\") {
      const next = text[i + 1];
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        const code = Number.parseInt(text.slice(i + 2, i + 6), 16);
        if (code === 0) throw new TrialFilterError(text, i, 6, `a NUL character at ${i + 1}; filters cannot hold one.`);
        value += String.fromCharCode(code);
        i += 6;
        continue;
      }
      if (next === undefined || !(next in ESCAPES))
        throw new TrialFilterError(
          text,
          i,
          2,
          `unknown escape ${show(`\\${next ?? ""}`)} at ${i + 1}; escapes are \\\\ \\" \\' \\n \\t \\r \\uXXXX.`,
        );
      value += ESCAPES[next];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new TrialFilterError(text, start, text.length - start, `unterminated string at ${start + 1}; close it with ${quote}.`);
}
