/**
 * The kernel's input history as `history_request` reads it (the whole path through
 * Jupyter is in protocol.test.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { CellHistory, globMatcher } from "../../kernel/history.js";

function history(cells: string[]): CellHistory {
  const h = new CellHistory((source) => source.toUpperCase());
  cells.forEach((source, i) => {
    h.record(i + 1, source);
    h.setOutput(`out ${i + 1}`);
  });
  return h;
}

const inputs = (entries: unknown[]) => entries.map((e) => (e as [number, number, string])[2]);

describe("CellHistory", () => {
  const cells = ["a = 1", "b = 2", "a = 1", "print(a)", "c = 3"];

  it("range: start inclusive, stop exclusive, 0 or absent to the end, negative from the end", () => {
    const h = history(cells);
    assert.deepEqual(inputs(h.query({ hist_access_type: "range", raw: true, start: 2, stop: 4 })), ["b = 2", "a = 1"]);
    assert.deepEqual(inputs(h.query({ hist_access_type: "range", raw: true, start: 4, stop: 0 })), ["print(a)", "c = 3"]);
    assert.deepEqual(inputs(h.query({ hist_access_type: "range", raw: true, start: -2 })), ["print(a)", "c = 3"]);
    assert.deepEqual(inputs(h.query({ hist_access_type: "range", raw: true, start: 1, stop: -3 })), ["a = 1", "b = 2"]);
    assert.deepEqual(h.query({ hist_access_type: "range", raw: true, session: -1 }), [], "no earlier session");
  });

  it("tail: the last n, with outputs when asked, as run unless raw", () => {
    const h = history(cells);
    assert.deepEqual(h.query({ hist_access_type: "tail", n: 2, output: true }), [
      [1, 4, ["PRINT(A)", "out 4"]],
      [1, 5, ["C = 3", "out 5"]],
    ]);
    assert.deepEqual(h.query({ hist_access_type: "tail", n: 0 }), []);
  });

  it("search: a whole-input glob, the last n, unique keeps each input's last run", () => {
    const h = history(cells);
    const lines = (entries: unknown[]) => entries.map((e) => (e as [number, number, string])[1]);
    assert.deepEqual(lines(h.query({ hist_access_type: "search", raw: true, pattern: "a*" })), [1, 3]);
    assert.deepEqual(lines(h.query({ hist_access_type: "search", raw: true, pattern: "*a*", unique: true })), [3, 4]);
    assert.deepEqual(lines(h.query({ hist_access_type: "search", raw: true, pattern: "*=*", n: 2 })), [3, 5]);
  });

  it("skipped cells take no line, and their output goes nowhere", () => {
    const h = new CellHistory();
    h.record(1, "x");
    h.skip();
    h.setOutput("hidden");
    h.record(3, "y");
    assert.deepEqual(h.query({ hist_access_type: "range", output: true, raw: true }), [
      [1, 1, ["x", null]],
      [1, 3, ["y", null]],
    ]);
  });

  it("refuses a malformed request, naming the value", () => {
    const h = history(cells);
    assert.throws(() => h.query({ hist_access_type: "tail", n: -1 }), new ValueError("history_request: n must be 0 or more, got -1."));
    assert.throws(() => h.query({ hist_access_type: "search" }), /a search needs a glob pattern string, got undefined/);
    assert.throws(() => h.query({ hist_access_type: "range", start: 1.5 }), /start must be an integer, got 1\.5/);
  });
});

describe("globMatcher", () => {
  it("reads *, ?, [set] and [^set] as SQLite's GLOB does, case-sensitive, other characters literal", () => {
    const cases: [string, string, boolean][] = [
      ["a*c", "abbbc", true],
      ["a*c", "a\nc", true],
      ["a?c", "abc", true],
      ["a?c", "ac", false],
      ["[ab]x", "bx", true],
      ["[^ab]x", "bx", false],
      ["[a-c]x", "cx", true],
      ["A*", "abc", false],
      ["a.c", "abc", false],
      ["(x)+", "(x)+", true],
      ["[", "[", true],
    ];
    for (const [pattern, text, expected] of cases)
      assert.equal(globMatcher(pattern)(text), expected, `${pattern} ~ ${JSON.stringify(text)}`);
  });
});
