import { closest, show } from "../errors.js";
import type { FilterField } from "./ast.js";

/**
 * Why a filter may have matched nothing: it names parameters that none of the study's trials
 * has (most often a typo, which the filter language cannot see: a parameter may first appear
 * in a later trial). Null when every parameter it names is `known`. `scope` says which trials
 * were looked at, e.g. "no trial" or "none of 1,000 trials sampled from 1,000,000".
 */
export function unknownParamsHint(fields: readonly FilterField[], known: readonly string[], scope = "no trial"): string | null {
  const named = new Set(fields.flatMap((f) => (f.kind === "param" ? [f.name] : [])));
  const unknown = [...named].filter((name) => !known.includes(name));
  if (unknown.length === 0) return null;
  const guesses = unknown.flatMap((name) => {
    const guess = closest(name, known);
    return guess ? [`params.${guess} for params.${name}`] : [];
  });
  const sorted = [...known].sort();
  return (
    `${scope[0].toUpperCase()}${scope.slice(1)} has the parameter${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => show(n)).join(", ")}; ` +
    `the study's parameters are ${sorted.length ? sorted.join(", ") : "none"}.${guesses.length ? ` Did you mean ${guesses.join(", ")}?` : ""}`
  );
}
