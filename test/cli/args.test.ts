import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { choiceOption, integerOption, parseArgs, positiveNumberOption, UsageError } from "../../cli/args.js";
import { TunebookError, ValueError } from "../../core/errors.js";

const line = { operands: ["study name"], values: ["storage", "port"], flags: ["json"] };

/** Asserts `run` throws a UsageError (a ValueError, a TunebookError) whose message matches. */
function refuses(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof UsageError && error instanceof ValueError && error instanceof TunebookError, String(error));
    assert.match(error.message, message);
    return true;
  });
}

describe("parseArgs", () => {
  it("reads arguments, values and flags; after -- everything is an argument", () => {
    const args = parseArgs("trials", ["--storage=x.db", "--json", "--", "--port"], line);
    assert.deepEqual(args.positional, ["--port"]);
    assert.deepEqual(
      [...args.options],
      [
        ["storage", "x.db"],
        ["json", true],
      ],
    );
    assert.deepEqual(parseArgs("trials", ["-1", "--port", "-5"], line).positional, ["-1"]);
  });

  it("names what it cannot read, without the command's prefix (the CLI adds it once)", () => {
    refuses(() => parseArgs("trials", ["s", "--storag", "x"], line), /^unknown option --storag\. Did you mean --storage\?$/);
    refuses(() => parseArgs("trials", ["s", "-q"], line), /^unknown option -q; its options are --storage, --port, --json\.$/);
    refuses(() => parseArgs("trials", ["s", "--json=false"], line), /^--json takes no value, got --json=false/);
    refuses(() => parseArgs("trials", ["s", "--port"], line), /^--port needs a value, got none\.$/);
    refuses(() => parseArgs("trials", ["s", "--storage", "--json"], line), /^--storage needs a value, got the option --json/);
    refuses(() => parseArgs("trials", ["s", "--storage="], line), /^--storage needs a value, got an empty one\.$/);
    refuses(
      () => parseArgs("trials", ["s", "--port", "1", "--port", "2"], line),
      /^--port is given twice \("1", then "2"\); give it once\.$/,
    );
    refuses(() => parseArgs("trials", [], line), /^expected a study name, got none\.$/);
    refuses(() => parseArgs("trials", ["a", "b"], line), /^unexpected argument "b" after the study name "a"/);
    refuses(() => parseArgs("studies", ["a"], { values: ["storage"] }), /^unexpected argument "a": tunebook studies takes none\.$/);
  });

  it("keeps option names apart from Object's: --constructor and --__proto__ are unknown options", () => {
    refuses(() => parseArgs("trials", ["s", "--constructor", "x"], line), /^unknown option --constructor/);
    refuses(() => parseArgs("trials", ["s", "--__proto__", "x"], line), /^unknown option --__proto__/);
  });
});

describe("option values", () => {
  const parsed = (...argv: string[]) => parseArgs("demo", argv, { values: ["trials", "port", "timeout", "format"] });

  it("integers: plain digits within the range", () => {
    assert.equal(integerOption(parsed("--trials", "12"), "trials", 1), 12);
    assert.equal(integerOption(parsed(), "trials", 1), undefined);
    for (const bad of ["0", "-1", "1.5", "1e3", "0x10", " 3", "Infinity"])
      refuses(
        () => integerOption(parsed("--trials", bad), "trials", 1),
        new RegExp(`^--trials must be a positive integer, got "${bad.replace(/[.+]/g, "\\$&")}"\\.$`),
      );
    refuses(() => integerOption(parsed("--trials", "-1"), "trials"), /^--trials must be a non-negative integer, got "-1"\.$/);
    refuses(() => integerOption(parsed("--port", "65536"), "port", 0, 65535), /^--port must be an integer from 0 to 65535, got "65536"\.$/);
  });

  it("positive numbers: finite decimals above zero", () => {
    assert.equal(positiveNumberOption(parsed("--timeout", "2.5"), "timeout"), 2.5);
    assert.equal(positiveNumberOption(parsed("--timeout", "1e2"), "timeout"), 100);
    for (const bad of ["0", "-1", "Infinity", "1e400", "NaN", "0x10"])
      refuses(() => positiveNumberOption(parsed("--timeout", bad), "timeout"), /^--timeout must be a positive number/);
  });

  it("choices: named, with the closest one", () => {
    assert.equal(choiceOption(parsed("--format", "json"), "format", ["csv", "json"]), "json");
    refuses(
      () => choiceOption(parsed("--format", "jsno"), "format", ["csv", "json"]),
      /^--format must be csv or json, got "jsno"\. Did you mean "json"\?$/,
    );
    refuses(
      () => choiceOption(parsed("--format", "xml"), "format", ["csv", "json", "tsv"]),
      /^--format must be one of csv, json, tsv, got "xml"\.$/,
    );
    refuses(() => choiceOption(parsed("--format", "constructor"), "format", ["csv", "json"]), /got "constructor"/);
  });
});
