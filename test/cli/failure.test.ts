import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../cli/args.js";
import { describeFailure } from "../../cli/failure.js";
import { StorageError, TunebookError, ValueError } from "../../core/errors.js";

describe("describeFailure", () => {
  it("a command line it cannot read: exit code 2 and where to read the usage", () => {
    assert.deepEqual(describeFailure("studies", new UsageError("unknown option --x.")), {
      line: "tunebook studies: unknown option --x. Run `tunebook studies --help` for usage.",
      exitCode: 2,
    });
  });

  it("a TunebookError: its message in one line, control characters escaped", () => {
    const error = new StorageError('Cannot open "\x1b[2J". Accepted forms:\n  - ":memory:"\n  - "sqlite:<path>"');
    assert.deepEqual(describeFailure("studies", error), {
      line: 'tunebook studies: Cannot open "\\u001b[2J". Accepted forms: - ":memory:" - "sqlite:<path>"',
      exitCode: 1,
    });
  });

  it("an API label that repeats the command joins the prefix instead of doubling it", () => {
    const { line } = describeFailure("kernel", new TunebookError("kernel install: Jupyter is not installed."));
    assert.equal(line, "tunebook kernel install: Jupyter is not installed.");
    assert.equal(describeFailure("worker", new ValueError("createStudy: bad.")).line, "tunebook worker: createStudy: bad.");
  });

  it("a TunebookError from another copy of tunebook (an objective module's own install) is one too", () => {
    class TunebookError extends Error {}
    class NotFoundError extends TunebookError {}
    assert.deepEqual(describeFailure("worker", new NotFoundError('No study named "x".')), {
      line: 'tunebook worker: No study named "x".',
      exitCode: 1,
    });
  });

  it("a system error: its own message; anything else: its name, and how to see its stack", () => {
    const system = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: "EACCES", syscall: "open" });
    assert.equal(describeFailure("export", system).line, "tunebook export: EACCES: permission denied, open '/x'");
    assert.deepEqual(describeFailure("worker", new TypeError("x is not a function\n    at objective")), {
      line: "tunebook worker: unexpected TypeError: x is not a function at objective (set TUNEBOOK_DEBUG=1 to see where it was thrown).",
      exitCode: 1,
    });
  });
});
