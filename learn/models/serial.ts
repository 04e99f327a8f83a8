/**
 * The saved form of a model: `{ kind, version, params, state }`, plain JSON.
 * `kind` is the class name, `params` the constructor options (enough for an
 * unfitted copy), `state` what fit learned (null before fit). Numbers keep every
 * bit: JSON numbers of doubles read back exactly, and the values JSON has no
 * number for (NaN, ±Infinity, −0) are written as `{ "$num": "NaN" }` and so on.
 * Typed arrays become `{ "$f64": [...] }` (also `$i32`, `$u8`), and a Map
 * `{ "$map": [[key, value], ...] }`.
 */
import { show, ValueError } from "../../core/errors.js";
import { Tree } from "../../core/forest/index.js";
import { ClassEncoder } from "../estimator.js";
import type { Label } from "../labels.js";

/** The format version every `toJSON` writes and every `fromJSON` reads. */
export const MODEL_FORMAT_VERSION = 1;

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A saved model or transformer. */
export interface ModelJSON {
  kind: string;
  version: number;
  params: { [key: string]: Json };
  state: Json;
}

/** Anything with a `toJSON` giving a `ModelJSON`: every model, transformer and pipeline. */
export interface Serializable {
  toJSON(): ModelJSON;
}

/** The saved form of a model of `kind`: params and state encoded (see the module doc). */
export function modelJSON(kind: string, params: object, state: unknown): ModelJSON {
  return { kind, version: MODEL_FORMAT_VERSION, params: encodeValue(params) as { [key: string]: Json }, state: encodeValue(state ?? null) };
}

/** Check `json` is a saved model of `kind` in this format version; return its decoded params and state. */
export function readModelJSON<P = Record<string, unknown>, S = unknown>(kind: string, json: unknown): { params: P; state: S | null } {
  checkModelJSON(`${kind}.fromJSON`, json);
  if (json.kind !== kind) {
    throw new ValueError(`${kind}.fromJSON: this is a saved ${show(json.kind)}, not a ${kind}; read it with modelFromJSON(json).`);
  }
  return { params: decodeValue(json.params) as P, state: decodeValue(json.state) as S | null };
}

/** A ValueError unless `json` has the shape of a saved model of this format version. */
export function checkModelJSON(where: string, json: unknown): asserts json is ModelJSON {
  if (typeof json !== "object" || json === null || Array.isArray(json) || typeof (json as ModelJSON).kind !== "string") {
    throw new ValueError(`${where}: expected a saved model ({ kind, version, params, state } from model.toJSON()), got ${show(json)}.`);
  }
  const { version, params } = json as ModelJSON;
  if (version !== MODEL_FORMAT_VERSION) {
    throw new ValueError(
      `${where}: the saved ${(json as ModelJSON).kind} has format version ${show(version)}, but this tunebook reads version ` +
        `${MODEL_FORMAT_VERSION}; save it again with this version (fit it, then toJSON()).`,
    );
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new ValueError(`${where}: the saved ${(json as ModelJSON).kind} has no params object, got ${show(params)}.`);
  }
}

const NUMBER_TAGS: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
  "-0": -0,
};

/** A value as JSON (see the module doc); undefined object entries are left out. Throws on functions and class instances. */
export function encodeValue(value: unknown): Json {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $num: Object.is(value, -0) ? "-0" : String(value) };
  }
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value instanceof Float64Array) return { $f64: Array.from(value, encodeValue) };
  if (value instanceof Int32Array) return { $i32: Array.from(value) };
  if (value instanceof Uint8Array) return { $u8: Array.from(value) };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  if (typeof value === "object" && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = encodeValue(v);
    return out;
  }
  throw new ValueError(
    `encodeValue: ${show(value)} has no JSON form; only numbers, strings, arrays, typed arrays, Maps and plain objects.`,
  );
}

/** The inverse of `encodeValue`. */
export function decodeValue(json: unknown): unknown {
  if (json === null || typeof json !== "object") return json;
  if (Array.isArray(json)) return json.map(decodeValue);
  const entries = Object.entries(json);
  if (entries.length === 1) {
    const [tag, inner] = entries[0];
    if (tag === "$num" && typeof inner === "string" && Object.hasOwn(NUMBER_TAGS, inner)) return NUMBER_TAGS[inner];
    if (tag === "$f64" && Array.isArray(inner)) return Float64Array.from(inner.map(decodeValue) as number[]);
    if (tag === "$i32" && Array.isArray(inner)) return Int32Array.from(inner as number[]);
    if (tag === "$u8" && Array.isArray(inner)) return Uint8Array.from(inner as number[]);
    if (tag === "$map" && Array.isArray(inner)) return new Map(inner.map((pair) => [decodeValue(pair[0]), decodeValue(pair[1])]));
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) out[key] = decodeValue(v);
  return out;
}

/** A fitted tree's arrays, as a plain object `encodeValue` takes. */
export function treeState(tree: Tree): Record<string, unknown> {
  const { nodeCount, nOutputs, feature, threshold, left, right, value, weight, samples, impurity, decrease, categoryOffset, goesLeft } =
    tree;
  return { nodeCount, nOutputs, feature, threshold, left, right, value, weight, samples, impurity, decrease, categoryOffset, goesLeft };
}

/** The inverse of `treeState`, after `decodeValue`. */
export function treeFromState(state: Record<string, unknown>): Tree {
  const s = state as unknown as Tree;
  return new Tree(
    s.nodeCount,
    s.nOutputs,
    s.feature,
    s.threshold,
    s.left,
    s.right,
    s.value,
    s.weight,
    s.samples,
    s.impurity,
    s.decrease,
    s.categoryOffset,
    s.goesLeft,
  );
}

/** A class encoder over classes already sorted and distinct (as a fitted model keeps them). */
export function encoderOf(where: string, classes: readonly Label[]): ClassEncoder {
  return new ClassEncoder(where, classes, 1);
}
