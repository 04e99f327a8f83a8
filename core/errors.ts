/**
 * Every error a user can cause is a `TunebookError`: its message names the bad value
 * and says how to fix it. Catch `TunebookError` to tell user mistakes from bugs.
 */
export class TunebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad argument: a distribution's bounds, an option's value, an unknown name. */
export class ValueError extends TunebookError {}

/** A study or trial that does not exist. */
export class NotFoundError extends TunebookError {}

/** `createStudy` with a name already taken, without `loadIfExists`. */
export class DuplicatedStudyError extends TunebookError {}

/** A storage URL that cannot be opened, or a database tunebook cannot read. */
export class StorageError extends TunebookError {}

/** A trial that is already finished was asked to change. */
export class TrialFinishedError extends TunebookError {}

/**
 * Thrown by `trial.prune()` helpers and recognised by `optimize`: the trial is
 * stored as PRUNED and the study goes on.
 */
export class TrialPruned extends Error {
  constructor(message = "trial was pruned") {
    super(message);
    this.name = "TrialPruned";
  }
}

/** Format a value for an error message, short and unambiguous. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Suggest the closest known name, for "unknown option" messages. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Reject keys of `options` that are not in `known`, naming the closest known key. */
export function checkOptionKeys(where: string, options: object | undefined, known: readonly string[]): void {
  if (options == null) return;
  if (typeof options !== "object") throw new ValueError(`${where}: options must be an object, got ${show(options)}.`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const hint = closest(key, known);
      throw new ValueError(
        `${where}: unknown option ${show(key)}.${hint ? ` Did you mean ${show(hint)}?` : ` Known options: ${known.join(", ")}.`}`,
      );
    }
  }
}

/** `value` if it is one of `choices` (`fallback` when undefined), else a ValueError listing them and naming the closest. */
export function checkChoice<T extends string>(where: string, option: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  const hint = typeof value === "string" ? closest(value, choices) : undefined;
  throw new ValueError(
    `${where}: ${option} must be one of ${choices.map((c) => show(c)).join(", ")}, got ${show(value)}.` +
      (hint ? ` Did you mean ${show(hint)}?` : ""),
  );
}
