/**
 * Shorthand properties spelled out before tslab compiles a cell: the expansion and
 * the mapping of diagnostics back (with tslab's own compiler), then a variable of an
 * earlier cell in a shorthand property through the real Jupyter client.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type CellParser, expandShorthands, writtenPosition } from "../../kernel/shorthand.js";
import { driveKernel, ensureBuilt, installKernelToTemp, requireJupyter, streamText } from "./harness.js";

const tslabRequire = createRequire(createRequire(import.meta.url).resolve("tslab/package.json"));
const parser = tslabRequire("@tslab/typescript-for-tslab") as CellParser;

/** The position of `offset` in `text`, as tslab's diagnostics give it. */
const at = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  return { offset, line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
};

describe("expandShorthands", () => {
  it("spells out shorthand properties, nested and in destructuring assignments, and nothing else", () => {
    const source = [
      "const o = { points, n: 1, labels };",
      "show({ spec: f({ points }) });",
      "({ a, b = 2 } = o);",
      "const { c, d: e } = o;",
      "type T = { points: number };",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a cell with a template literal is the input
      "const s = `${JSON.stringify({ points })}`;",
    ].join("\n");
    const { code, insertions } = expandShorthands(parser, source);
    assert.equal(
      code,
      [
        "const o = { points: points, n: 1, labels: labels };",
        "show({ spec: f({ points: points }) });",
        "({ a: a, b: b = 2 } = o);",
        "const { c, d: e } = o;",
        "type T = { points: number };",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a cell with a template literal is the output
        "const s = `${JSON.stringify({ points: points })}`;",
      ].join("\n"),
    );
    assert.deepEqual(
      insertions.map((i) => i.length),
      [8, 8, 8, 3, 3, 8],
    );
  });

  it("leaves a cell without shorthand properties as it is", () => {
    const source = "const o = { points: points };\n// { points }\nconst s = '{ points }';";
    assert.deepEqual(expandShorthands(parser, source), { code: source, insertions: [] });
  });
});

describe("writtenPosition", () => {
  const source = "const o = { points, n };\nconst z: number = 'x';\nconst w = { points } + y;";
  const { code, insertions } = expandShorthands(parser, source);

  it("maps a position after added text back to where it is in the cell as written", () => {
    for (const token of ["z:", "'x'", "+ y", "y;"]) {
      assert.deepEqual(writtenPosition(source, insertions, at(code, code.indexOf(token))), at(source, source.indexOf(token)), token);
    }
  });

  it("leaves a position before any added text as it is, and maps one inside added text to the end of the name", () => {
    assert.deepEqual(writtenPosition(source, insertions, at(code, code.indexOf("points"))), at(source, source.indexOf("points")));
    const inside = code.indexOf(": points") + 3;
    assert.deepEqual(writtenPosition(source, insertions, at(code, inside)), at(source, source.indexOf("points") + "points".length));
  });
});

describe("shorthand properties in the kernel", () => {
  const cwd = mkdtempSync(join(tmpdir(), "tunebook-shorthand-"));
  let prefix = "";
  before(() => ensureBuilt());
  after(() => {
    rmSync(cwd, { recursive: true, force: true });
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it("read a variable of an earlier cell, and a compiler error after one is reported where it is written", (t) => {
    if (!requireJupyter(t)) return;
    const installed = installKernelToTemp();
    prefix = installed.prefix;
    const typeError = "const again = { points }; const z: number = 'x';";
    const [declared, read, inFunction, mistyped] = driveKernel(installed.env, cwd, [
      { execute: "const points = [1, 2];\nconst n = 3;" },
      { execute: "JSON.stringify({ points, n, m: 4 })" },
      { execute: "const pick = () => ({ points });\npick().points.length" },
      { execute: typeError },
    ]);
    assert.equal(declared.status, "ok");
    assert.equal(read.status, "ok", streamText(read, "stderr"));
    assert.equal(streamText(read, "stdout"), `{"points":[1,2],"n":3,"m":4}\n`);
    assert.equal(inFunction.status, "ok", streamText(inFunction, "stderr"));
    assert.equal(streamText(inFunction, "stdout"), "2\n");
    const where = at(typeError, typeError.indexOf("z:"));
    assert.match(
      streamText(mistyped, "stderr"),
      new RegExp(`^${where.line + 1}:${where.character + 1} - Type 'string' is not assignable`, "m"),
    );
  });
});
