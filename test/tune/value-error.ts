/** Asserting that a call is refused with a `ValueError` (a `TunebookError`) whose message names what it should. */
import assert from "node:assert/strict";
import { TunebookError, ValueError } from "../../core/errors.js";

/** Asserts that `build` throws a ValueError whose message contains every fragment. */
export function rejects(build: () => unknown, ...fragments: string[]): void {
  assert.throws(build, (e: Error) => {
    assert.ok(e instanceof ValueError && e instanceof TunebookError, `expected ValueError, got ${e}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}
