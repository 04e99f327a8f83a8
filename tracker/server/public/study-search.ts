/**
 * Searching the studies list: words match a study's name, experiment or tags (ignoring
 * case); `tag:x`, `experiment:x` (or `exp:x`) and `name:x` look in one field; `best<0.1`,
 * `best>=0.9` (also `<=`, `>`, `=`) bound the best value. Every term must hold.
 */
import type { StudyJson } from "../types.js";

export type SearchTerm =
  | { kind: "word" | "tag" | "experiment" | "name"; text: string }
  | { kind: "best"; op: "<" | "<=" | ">" | ">=" | "="; value: number };

/** The terms of a search text; a `best` bound that is not a number is read as a word. */
export function parseSearch(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const match of q.matchAll(/(\S+?:)?"([^"]*)"|\S+/g)) {
    const token = match[2] !== undefined ? `${match[1] ?? ""}${match[2]}` : match[0];
    const best = /^best\s*(<=|>=|<|>|=)\s*(.+)$/i.exec(token);
    if (best && Number.isFinite(Number(best[2])) && best[2].trim() !== "") {
      terms.push({ kind: "best", op: best[1] as "<", value: Number(best[2]) });
      continue;
    }
    const field = /^(tag|experiment|exp|name):(.*)$/i.exec(token);
    if (field && field[2] !== "") {
      const kind = field[1].toLowerCase();
      terms.push({ kind: kind === "exp" ? "experiment" : (kind as "tag"), text: field[2].toLowerCase() });
      continue;
    }
    if (token !== "") terms.push({ kind: "word", text: token.toLowerCase() });
  }
  return terms;
}

/** Whether the study satisfies every term, and has every tag of `tags`. */
export function matchesSearch(study: StudyJson, terms: readonly SearchTerm[], tags: readonly string[] = []): boolean {
  const own = study.tags.map((t) => t.toLowerCase());
  if (!tags.every((t) => own.includes(t.toLowerCase()))) return false;
  const name = study.name.toLowerCase();
  const experiment = (study.experiment ?? "").toLowerCase();
  return terms.every((term) => {
    switch (term.kind) {
      case "word":
        return name.includes(term.text) || experiment.includes(term.text) || own.some((t) => t.includes(term.text));
      case "tag":
        return own.includes(term.text);
      case "experiment":
        return experiment.includes(term.text);
      case "name":
        return name.includes(term.text);
      default:
        return study.bestValue !== null && compare(study.bestValue, term.op, term.value);
    }
  });
}

function compare(a: number, op: "<" | "<=" | ">" | ">=" | "=", b: number): boolean {
  if (op === "<") return a < b;
  if (op === "<=") return a <= b;
  if (op === ">") return a > b;
  if (op === ">=") return a >= b;
  return a === b;
}
