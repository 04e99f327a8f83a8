import { closest, show } from "../../core/errors.js";
import { badParam } from "./http-errors.js";

/** A parsed query string: Express's simple parser gives a string, or an array for a repeated key. */
export type Query = Record<string, unknown>;

/** Rejects query keys a route does not know, naming the closest known one. */
export function checkQueryKeys(query: Query, known: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    const list = known.length ? ` Known parameters: ${known.join(", ")}.` : " This route takes no query parameters.";
    throw badParam(key, `Unknown query parameter ${show(key)}.${hint ? ` Did you mean ${show(hint)}?` : list}`);
  }
}

/** All values of a key, repeated (`?a=1&a=2`) or not. */
export function allValues(query: Query, key: string): string[] {
  const raw = query[key];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => {
    if (typeof v !== "string") throw badParam(key, `Query parameter ${show(key)} must be text, got ${show(v)}.`);
    return v;
  });
}

/** The single value of a key; repeating it is an error. */
export function oneValue(query: Query, key: string): string | undefined {
  const values = allValues(query, key);
  if (values.length > 1) throw badParam(key, `Query parameter ${show(key)} was given ${values.length} times; give it once.`);
  return values[0];
}

/** An integer in [min, max]; `fallback` when absent. */
export function intValue(query: Query, key: string, fallback: number, min: number, max: number): number {
  const raw = oneValue(query, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw badParam(key, `Query parameter ${show(key)} must be an integer from ${min} to ${max}, got ${show(raw)}.`);
  }
  return value;
}

/** A number in [min, max]; `fallback` when absent. */
export function numberValue(query: Query, key: string, fallback: number, min: number, max: number): number {
  const raw = oneValue(query, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw badParam(key, `Query parameter ${show(key)} must be a number from ${min} to ${max}, got ${show(raw)}.`);
  }
  return value;
}

/** One of `choices`; `fallback` when absent. */
export function enumValue<T extends string>(query: Query, key: string, choices: readonly T[], fallback: T): T {
  const raw = oneValue(query, key);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    const hint = closest(raw, choices);
    throw badParam(
      key,
      `Query parameter ${show(key)} must be one of ${choices.join(", ")}; got ${show(raw)}.${hint ? ` Did you mean ${show(hint)}?` : ""}`,
    );
  }
  return raw as T;
}

/** Comma-separated and/or repeated values, empty items dropped. */
export function listValue(query: Query, key: string): string[] {
  return allValues(query, key)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** A path parameter that must be a non-negative integer id or number. */
export function pathInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (value === undefined || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(n)) {
    throw badParam(name, `Path parameter ${show(name)} must be a non-negative integer, got ${show(value)}.`);
  }
  return n;
}
