import { closest, show } from "../errors.js";
import { TRIAL_STATES, type TrialState } from "../records.js";
import {
  COMPARE_OPS,
  type CompareOp,
  DATETIME_FIELDS,
  FIELD_NAMES,
  type FilterField,
  type FilterLiteral,
  NUMERIC_FIELDS,
  type TrialFilter,
} from "./ast.js";
import { parseFilterDatetime } from "./datetime.js";
import { TrialFilterError } from "./errors.js";
import { type Token, tokenize } from "./lexer.js";

/** Field words that stand alone, and those followed by `.<name>`. */
const PLAIN_FIELDS = ["value", "state", "number", "duration", "datetime_start", "datetime_complete"] as const;
const NAMED_FIELDS = { params: "param", user_attrs: "user_attr", system_attrs: "system_attr" } as const;
const KEYWORDS = ["and", "or", "not", "in", "is", "null", "true", "false"];
/** Objectives a study may have, for `values[i]`. */
const MAX_OBJECTIVE = 999;

/**
 * Parses a trial filter (grammar in the README, "Filtering trials"): `and`, `or`, `not`
 * (binding tighter in that order: not > and > or), parentheses, comparisons, `in (...)`,
 * `is null`. Throws `TrialFilterError` (a `ValueError`) with the position of the problem.
 */
export function parseTrialFilter(text: string): TrialFilter {
  if (typeof text !== "string") throw new TrialFilterError(String(text), 0, 0, `a filter is a string, got ${show(text)}.`);
  const parser = new Parser(text, tokenize(text));
  if (parser.peek().type === "end") throw new TrialFilterError(text, 0, 0, 'the filter is empty; write a condition such as "value < 0.5".');
  const filter = parser.or();
  const rest = parser.peek();
  if (rest.type !== "end")
    throw parser.unexpected(rest, rest.text === ")" ? 'there is no "(" to close.' : 'expected "and", "or" or the end.');
  return filter;
}

/** Parses a field name as a filter writes it (`params.lr`, `values[1]`), e.g. for a sort key. */
export function parseFilterField(text: string): FilterField {
  const parser = new Parser(text, tokenize(text));
  const field = parser.field();
  const rest = parser.peek();
  if (rest.type !== "end") throw parser.unexpected(rest, "expected the end of the field name.");
  return field;
}

class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isWord(token: Token, word: string): boolean {
    return token.type === "word" && token.text.toLowerCase() === word;
  }

  private expect(text: string, why: string): Token {
    const token = this.next();
    if (token.text !== text || token.type === "string") throw this.unexpected(token, why);
    return token;
  }

  unexpected(token: Token, why: string): TrialFilterError {
    const what = token.type === "end" ? "the end of the filter" : show(this.text.slice(token.start, token.start + token.length));
    return new TrialFilterError(this.text, token.start, token.length, `unexpected ${what} at ${token.start + 1}; ${why}`);
  }

  or(): TrialFilter {
    let left = this.and();
    while (this.isWord(this.peek(), "or")) {
      this.next();
      left = { type: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): TrialFilter {
    let left = this.not();
    while (this.isWord(this.peek(), "and")) {
      this.next();
      left = { type: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): TrialFilter {
    if (this.isWord(this.peek(), "not")) {
      this.next();
      return { type: "not", operand: this.not() };
    }
    return this.primary();
  }

  private primary(): TrialFilter {
    const token = this.peek();
    if (token.text === "(" && token.type === "punct") {
      this.next();
      const inner = this.or();
      this.expect(")", `expected ")" to close the "(" at ${token.start + 1}.`);
      return inner;
    }
    if (token.type === "number" || token.type === "string" || this.isWord(token, "true") || this.isWord(token, "false")) {
      return this.flipped();
    }
    return this.condition(this.field());
  }

  /** `5 < params.k`, read as `params.k > 5`. */
  private flipped(): TrialFilter {
    const literalToken = this.next();
    const opToken = this.next();
    if (opToken.type !== "op") throw this.unexpected(opToken, "expected a comparison (= != < <= > >=) after a literal, then a field.");
    const fieldToken = this.peek();
    const field = this.field();
    const op = FLIP[opToken.text as CompareOp];
    return this.comparison(field, fieldToken, op, opToken, literalToken);
  }

  field(): FilterField {
    const token = this.next();
    if (token.type !== "word") throw this.unexpected(token, `expected a field: ${FIELD_NAMES.join(", ")}.`);
    const word = token.text.toLowerCase();
    if ((PLAIN_FIELDS as readonly string[]).includes(word)) return { kind: word as (typeof PLAIN_FIELDS)[number] } as FilterField;
    if (word === "values") {
      const open = this.next();
      // `values.1` lexes as "values" and the number ".1".
      if (open.type === "number" && /^\.\d{1,3}$/.test(open.text)) return { kind: "values", index: Number(open.text.slice(1)) };
      if (open.type !== "punct" || (open.text !== "[" && open.text !== "."))
        throw this.unexpected(open, 'expected "[" after "values", as in "values[0]".');
      const index = this.next();
      if (index.type !== "number" || !Number.isInteger(index.number) || index.number! < 0 || index.number! > MAX_OBJECTIVE)
        throw this.unexpected(index, `expected an objective's index (0 to ${MAX_OBJECTIVE}), as in "values[0]".`);
      if (open.text === "[") this.expect("]", 'expected "]" after the index.');
      return { kind: "values", index: index.number! };
    }
    if (word in NAMED_FIELDS) {
      const dot = this.next();
      if (dot.text !== "." || dot.type !== "punct")
        throw this.unexpected(dot, `expected "." and a name after ${show(token.text)}, as in "${word}.lr" or '${word}."learning rate"'.`);
      const name = this.next();
      if (name.type !== "word" && name.type !== "string")
        throw this.unexpected(name, `expected a name after "${word}."; quote names with other characters: ${word}."learning rate".`);
      if (name.text === "") throw this.unexpected(name, "a name cannot be empty.");
      const kind = NAMED_FIELDS[word as keyof typeof NAMED_FIELDS];
      return kind === "param" ? { kind, name: name.text } : { kind, key: name.text };
    }
    if (KEYWORDS.includes(word)) throw this.unexpected(token, `expected a field: ${FIELD_NAMES.join(", ")}.`);
    const hint = closest(word, [...PLAIN_FIELDS, "values", ...Object.keys(NAMED_FIELDS)]);
    throw new TrialFilterError(
      this.text,
      token.start,
      token.length,
      `unknown field ${show(token.text)} at ${token.start + 1}; ${hint ? `did you mean ${show(hint)}? ` : ""}Fields: ${FIELD_NAMES.join(", ")}.`,
    );
  }

  private condition(field: FilterField): TrialFilter {
    const fieldToken = this.tokens[this.i - 1];
    const token = this.next();
    if (token.type === "op") return this.comparison(field, fieldToken, token.text as CompareOp, token, this.next());
    if (this.isWord(token, "is")) {
      const negated = this.isWord(this.peek(), "not");
      if (negated) this.next();
      const nullToken = this.next();
      if (!this.isWord(nullToken, "null")) throw this.unexpected(nullToken, `expected "null" after "is${negated ? " not" : ""}".`);
      return { type: "null", field, negated };
    }
    let negated = false;
    let inToken = token;
    if (this.isWord(token, "not")) {
      negated = true;
      inToken = this.next();
    }
    if (this.isWord(inToken, "in")) {
      this.expect("(", 'expected "(" and a list of values after "in", as in in (1, 2).');
      const values: FilterLiteral[] = [this.literal(field, "=", this.next())];
      while (this.peek().text === "," && this.peek().type === "punct") {
        this.next();
        values.push(this.literal(field, "=", this.next()));
      }
      this.expect(")", 'expected "," or ")" in the list of values.');
      return { type: "in", field, values, negated };
    }
    throw this.unexpected(inToken, 'expected a comparison (= != < <= > >=), "in (...)", "not in (...)" or "is [not] null".');
  }

  private comparison(field: FilterField, _fieldToken: Token, op: CompareOp, opToken: Token, literalToken: Token): TrialFilter {
    if (!COMPARE_OPS.includes(op)) throw this.unexpected(opToken, "expected a comparison (= != < <= > >=).");
    if (field.kind === "state" && op !== "=" && op !== "!=")
      throw this.unexpected(opToken, 'states compare with "=", "!=" and "in (...)" only.');
    return { type: "compare", field, op, value: this.literal(field, op, literalToken) };
  }

  /** A literal compared with `field`, checked against what the field holds. */
  private literal(field: FilterField, op: CompareOp, token: Token): FilterLiteral {
    const isNull = this.isWord(token, "null");
    if (isNull) {
      const fixed = op === "!=" ? "is not null" : "is null";
      throw this.unexpected(token, `nothing equals null; write ${show(fixed)}.`);
    }
    if (field.kind === "state") {
      const name = token.type === "word" || token.type === "string" ? token.text.toUpperCase() : "";
      if (!(TRIAL_STATES as readonly string[]).includes(name)) {
        const hint = closest(token.text, TRIAL_STATES);
        throw this.unexpected(token, `expected a state: ${TRIAL_STATES.join(", ")}${hint ? `; did you mean ${hint}?` : "."}`);
      }
      return name as TrialState;
    }
    let value: FilterLiteral;
    if (token.type === "number") value = token.number!;
    else if (token.type === "string") value = token.text;
    else if (this.isWord(token, "true")) value = true;
    else if (this.isWord(token, "false")) value = false;
    else if (token.type === "word") {
      const before = this.text.slice(0, token.start);
      const fixed = `${before}'${token.text}'${this.text.slice(token.start + token.length)}`;
      throw this.unexpected(token, `quote strings; did you mean ${show(fixed.length <= 120 ? fixed : `'${token.text}'`)}?`);
    } else throw this.unexpected(token, "expected a value: a number, a quoted string, true or false.");
    if (NUMERIC_FIELDS.includes(field.kind) && typeof value !== "number")
      throw this.unexpected(token, `${fieldLabel(field)} holds numbers; compare it with a number.`);
    if (DATETIME_FIELDS.includes(field.kind)) {
      if (typeof value !== "string" || parseFilterDatetime(value) === null)
        throw this.unexpected(token, `${fieldLabel(field)} compares with a quoted datetime, as in "2026-01-31" or "2026-01-31T12:00:00Z".`);
    }
    if (typeof value === "number" && !Number.isFinite(value)) throw this.unexpected(token, "the number is too large.");
    return value;
  }
}

const FLIP: Record<CompareOp, CompareOp> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function fieldLabel(field: FilterField): string {
  return field.kind === "values" ? `values[${field.index}]` : field.kind;
}
