import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { printable, printableLines } from "../../core/terminal.js";

describe("printable", () => {
  it("shows escape sequences, bells and carriage returns as \\u and \\r escapes, so the terminal never acts on them", () => {
    assert.equal(printable("\x1b[2Jevil\x1b]0;title\x07"), "\\u001b[2Jevil\\u001b]0;title\\u0007");
    assert.equal(printable("\x1b]8;;http://x\x07link\x1b]8;;\x07"), "\\u001b]8;;http://x\\u0007link\\u001b]8;;\\u0007");
    assert.equal(printable("a\rb"), "a\\rb");
    assert.equal(printable("a\nb\tc"), "a\\nb\\tc");
    assert.equal(printable("\0\x08\x7f"), "\\u0000\\u0008\\u007f");
  });

  it("escapes C1 controls (a UTF-8 terminal reads U+009B as CSI) and bidirectional overrides", () => {
    assert.equal(printable("\x9b2J\x85"), "\\u009b2J\\u0085");
    assert.equal(printable("abc\u202edcba\u2066x\u2069"), "abc\\u202edcba\\u2066x\\u2069");
  });

  it("leaves ordinary text alone, backslashes and non-ASCII letters included", () => {
    const text = 'rf, "quoted" — déjà vu 日本 \\u001b C:\\runs 🙂';
    assert.equal(printable(text), text);
  });
});

describe("printableLines", () => {
  it("keeps line breaks and escapes everything else", () => {
    assert.equal(printableLines("a\x1b[2J\nb\rc\n"), "a\\u001b[2J\nb\\rc\n");
  });

  it("keeps JSON text valid and equal: the escapes it adds are JSON's own", () => {
    const value = { name: "\x9b2J\x7f\u202e", params: { "\x85": 1 } };
    const shown = printableLines(JSON.stringify(value, null, 2));
    assert.ok(!/[\x7f-\x9f\u202e]/.test(shown), shown);
    assert.deepEqual(JSON.parse(shown), value);
  });
});
