/**
 * The one rule for user attributes, applied by every setter (trials, studies,
 * `addTrial`, `enqueueTrial` and the storages themselves): JSON values only, so what
 * is stored reads back the same, in tunebook and in Optuna.
 *
 * - null, booleans, strings, numbers, arrays and plain objects are copied;
 * - a Date becomes its ISO string (JSON's own form of a date);
 * - NaN and ±Infinity are kept: strict JSON has no words for them, but Optuna's
 *   `json.dumps` writes them as NaN and Infinity and reads them back, and so does
 *   tunebook's storage, so a fold score that is NaN stays NaN;
 * - anything else (undefined, BigInt, Map, Set, RegExp, functions, symbols, class
 *   instances, cycles), at any depth, is refused with the key, where it sits and how
 *   to turn it into JSON, instead of being stored as `{}` or failing in the driver.
 */
import { show, ValueError } from "./errors.js";
import { checkName } from "./limits.js";
import { type JsonValue, setOwn } from "./records.js";

/** A copy of `value` as a user attribute named `key` is stored; throws `ValueError` if JSON cannot hold it. */
export function userAttrValue(where: string, key: string, value: unknown): JsonValue {
  if (key === "") throw new ValueError(`${where}: a user attribute key must be a non-empty string, got "".`);
  checkName(`${where}: a user attribute key`, key);
  return copyJson(value, { where, key, path: "", ancestors: [] });
}

/** A copy of a record of user attributes (as `addTrial` and `enqueueTrial` take them), each by `userAttrValue`. */
export function userAttrs(where: string, attrs: unknown): Record<string, JsonValue> {
  if (attrs === undefined) return {};
  if (!isPlainObject(attrs)) throw new ValueError(`${where}: userAttrs must be an object of key → JSON value, got ${show(attrs)}.`);
  const copy: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(attrs)) setOwn(copy, key, userAttrValue(where, key, value));
  return copy;
}

interface Place {
  where: string;
  key: string;
  /** Where inside the attribute's value, e.g. `.folds[2]`; empty at the top. */
  path: string;
  /** The arrays and objects being copied around this point, to tell a cycle from a shared value. */
  ancestors: object[];
}

function copyJson(value: unknown, place: Place): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse(place, "an invalid Date", "give a valid Date, or its ISO string");
    return value.toISOString();
  }
  if (typeof value !== "object") {
    const [kind, hint] = primitiveKind(value);
    return refuse(place, kind, hint);
  }
  if (place.ancestors.includes(value)) {
    throw new ValueError(
      `${place.where}: user attribute ${show(place.key)} refers back to itself at ${place.path || "the top"} (a cycle), which JSON cannot hold; store a copy without the back-reference.`,
    );
  }
  const ancestors = [...place.ancestors, value];
  if (Array.isArray(value)) {
    return Array.from({ length: value.length }, (_, i) => copyJson(value[i], { ...place, path: `${place.path}[${i}]`, ancestors }));
  }
  if (!isPlainObject(value)) {
    const [kind, hint] = objectKind(value);
    return refuse(place, kind, hint);
  }
  const copy: Record<string, JsonValue> = {};
  for (const [name, inner] of Object.entries(value)) {
    setOwn(copy, name, copyJson(inner, { ...place, path: `${place.path}${propertyPath(name)}`, ancestors }));
  }
  return copy;
}

function refuse(place: Place, kind: string, hint: string): never {
  const at = place.path ? ` at ${place.path}` : "";
  throw new ValueError(
    `${place.where}: user attribute ${show(place.key)}${at} is ${kind}, which JSON cannot hold; ${hint}. User attributes take null, booleans, numbers, strings, arrays, plain objects and Dates (stored as ISO strings).`,
  );
}

function primitiveKind(value: unknown): [kind: string, hint: string] {
  switch (typeof value) {
    case "undefined":
      return ["undefined", "use null, or leave the key out"];
    case "bigint":
      return [`a BigInt (${show(value)})`, "convert it with Number(x) or String(x)"];
    case "symbol":
      return ["a symbol", "store its description as a string (JSON has no symbols)"];
    default:
      return ["a function", "store what it computes, or its name (JSON has no functions)"];
  }
}

function objectKind(value: object): [kind: string, hint: string] {
  if (value instanceof Map) return ["a Map", "convert it with Object.fromEntries(map) or [...map]"];
  if (value instanceof Set) return ["a Set", "convert it with [...set]"];
  if (value instanceof RegExp) return ["a RegExp", "store String(regexp)"];
  const name = value.constructor?.name || "non-plain";
  if (ArrayBuffer.isView(value)) return [`a ${name}`, "convert it with Array.from(x)"];
  return [`a ${name} object`, "store a plain object with its fields (e.g. { ...x }) instead"];
}

/** An object literal (or `Object.create(null)`): not an array, a Map, a Date or another class's instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function propertyPath(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
