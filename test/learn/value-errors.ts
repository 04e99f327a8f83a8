/** Assertions that a call is refused with a `ValueError` whose message holds every given fragment. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ValueError } from "../../core/errors.js";

function isValueErrorWith(error: unknown, fragments: readonly string[]): true {
  assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
  for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
  return true;
}

export function throwsValue(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => isValueErrorWith(error, fragments));
}

export async function rejectsValue(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => isValueErrorWith(error, fragments));
}

/** As `rejectsValue`, and the file at `path` is byte for byte what it was before the call. */
export async function rejectsValueKeepingFile(path: string, call: () => Promise<unknown>, ...fragments: string[]): Promise<void> {
  const before = readFileSync(path);
  await rejectsValue(call(), ...fragments);
  assert.deepEqual(readFileSync(path), before, `${path} changed`);
}
