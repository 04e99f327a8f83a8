import type { FilterField, FilterLiteral, TrialFilter } from "./ast.js";

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The filter as text that parses back to the same filter, with the fewest parentheses
 * the precedence (not > and > or) needs.
 */
export function printTrialFilter(filter: TrialFilter): string {
  return print(filter, 0);
}

/** A field as a filter writes it: `params.lr`, `params."learning rate"`, `values[1]`. */
export function printFilterField(field: FilterField): string {
  switch (field.kind) {
    case "param":
      return `params.${printName(field.name)}`;
    case "user_attr":
      return `user_attrs.${printName(field.key)}`;
    case "system_attr":
      return `system_attrs.${printName(field.key)}`;
    case "values":
      return `values[${field.index}]`;
    default:
      return field.kind;
  }
}

/** A literal as a filter writes it; strings in double quotes. */
export function printFilterLiteral(value: FilterLiteral, field?: FilterField): string {
  if (typeof value === "string") return field?.kind === "state" ? value : quote(value);
  return String(value);
}

// Binding strength: or 1, and 2, not and conditions 3.
function print(filter: TrialFilter, context: number): string {
  switch (filter.type) {
    case "or":
      return wrap(`${print(filter.left, 1)} or ${print(filter.right, 2)}`, context > 1);
    case "and":
      return wrap(`${print(filter.left, 2)} and ${print(filter.right, 3)}`, context > 2);
    case "not":
      return `not ${print(filter.operand, 3)}`;
    case "compare":
      return `${printFilterField(filter.field)} ${filter.op} ${printFilterLiteral(filter.value, filter.field)}`;
    case "in":
      return `${printFilterField(filter.field)} ${filter.negated ? "not in" : "in"} (${filter.values.map((v) => printFilterLiteral(v, filter.field)).join(", ")})`;
    case "null":
      return `${printFilterField(filter.field)} is ${filter.negated ? "not " : ""}null`;
  }
}

function wrap(text: string, parenthesise: boolean): string {
  return parenthesise ? `(${text})` : text;
}

function printName(name: string): string {
  return BARE_NAME.test(name) ? name : quote(name);
}

function quote(text: string): string {
  let out = '"';
  for (const c of text) {
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c < " " || c === "\u007f" || (c.length === 1 && c >= "\ud800" && c <= "\udfff"))
      out += `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `${out}"`;
}
