import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValueError } from "../../core/errors.js";
import { cellMagicName, isTuneCell, parseMagicLine, TUNE_FUNCTION, transformTuneCell } from "../../kernel/magic.js";

const names = { samplers: ["random", "tpe", "grid"], pruners: ["median", "hyperband", "nop"] };

describe("%%tune magic line", () => {
  it("parses every option into its type", () => {
    const options = parseMagicLine(
      "%%tune study=rf trials=30 direction=maximize sampler=tpe storage=sqlite:runs/t.db experiment=wine concurrency=2 timeout=1.5 pruner=median seed=7",
      names,
    );
    assert.deepEqual(options, {
      study: "rf",
      trials: 30,
      direction: "maximize",
      sampler: "tpe",
      storage: "sqlite:runs/t.db",
      experiment: "wine",
      concurrency: 2,
      timeout: 1.5,
      pruner: "median",
      seed: 7,
    });
  });

  it("takes quoted values with spaces and an empty line", () => {
    assert.deepEqual(parseMagicLine(`%%tune study="my study" experiment='a b'`, names), { study: "my study", experiment: "a b" });
    assert.deepEqual(parseMagicLine("%%tune", names), {});
    assert.deepEqual(parseMagicLine("%%tune   ", names), {});
  });

  const rejects = (line: string, pattern: RegExp) =>
    assert.throws(
      () => parseMagicLine(line, names),
      (e: unknown) => e instanceof ValueError && pattern.test(e.message),
    );

  it("names the closest key for an unknown one", () => {
    rejects("%%tune trails=5", /unknown option "trails"\. Did you mean "trials"\?/);
    rejects("%%tune studdy=x", /Did you mean "study"/);
    rejects("%%tune colour=red", /unknown option "colour"\. Options: study, trials, direction, directions, sampler/);
  });

  it("rejects bad values with the value and the rule", () => {
    rejects("%%tune trials=abc", /trials must be an integer >= 1, got "abc"/);
    rejects("%%tune trials=0", /trials must be an integer >= 1, got "0"/);
    rejects("%%tune trials=2.5", /trials must be an integer/);
    rejects("%%tune concurrency=-1", /concurrency must be an integer >= 1/);
    rejects("%%tune timeout=soon", /timeout must be a positive number of seconds, got "soon"/);
    rejects("%%tune direction=up", /direction must be minimize or maximize, got "up"/);
    rejects("%%tune direction=max", /Did you mean "maximize"/);
    rejects("%%tune sampler=tpee", /unknown sampler "tpee"\. Did you mean "tpe"\?/);
    rejects("%%tune pruner=medain", /unknown pruner "medain"\. Did you mean "median"\?/);
    rejects("%%tune study=", /study needs a value/);
  });

  it("rejects malformed tokens, repeated keys and open quotes", () => {
    rejects("%%tune trials", /expected key=value, got "trials"/);
    rejects("%%tune =5", /expected key=value/);
    rejects("%%tune trials=3 trials=4", /"trials" is given twice/);
    rejects(`%%tune study="open`, /unclosed quote/);
  });
});

describe("%%tune cell transform", () => {
  it("recognises the magic on the first line only", () => {
    assert.equal(isTuneCell("%%tune trials=3\nreturn 1"), true);
    assert.equal(isTuneCell("%%tune"), true);
    assert.equal(isTuneCell("%%tuner x"), false);
    assert.equal(isTuneCell("\n%%tune trials=3"), false);
    assert.equal(cellMagicName("%%time\n1"), "time");
    assert.equal(cellMagicName("let a = 1"), null);
  });

  it("keeps the body on its own line numbers and closes after the last line", () => {
    const source = '%%tune study=s trials=4 direction=maximize\nconst x = trial.suggestFloat("x", 0, 1);\n\nreturn x * 2;';
    const { code, options } = transformTuneCell(source, names);
    const lines = code.split("\n");
    const original = source.split("\n");
    assert.equal(lines.length, original.length + 1);
    for (let i = 1; i < original.length; i++) assert.equal(lines[i], original[i]);
    assert.match(lines[0], new RegExp(`import \\{ tune as \\${TUNE_FUNCTION}, studies \\} from "tunebook";`));
    assert.match(lines[0], /async \(trial\): Promise<number> => \{$/);
    assert.equal(lines.at(-1), `}, ${JSON.stringify(options)}));`);
    assert.deepEqual(options, { study: "s", trials: 4, direction: "maximize" });
  });

  it("moves single-line imports at the top of the body to the first line", () => {
    const source = `%%tune trials=2\nimport { mean } from "./stats";\nimport "./setup";\n// a comment\nreturn mean([trial.suggestFloat("x", 0, 1)]);`;
    const { code } = transformTuneCell(source, names);
    const lines = code.split("\n");
    assert.ok(lines[0].startsWith(`import { mean } from "./stats"; import "./setup"; import { tune as`));
    assert.equal(lines[1], "");
    assert.equal(lines[2], "");
    assert.equal(lines[3], "// a comment");
    assert.equal(lines[4], source.split("\n")[4]);
  });

  it("reports the shift of the first line for cursor positions", () => {
    const source = "%%tune trials=2\nreturn trial.number;";
    const { code, firstLineShift } = transformTuneCell(source, names);
    const cursor = source.indexOf("trial.number");
    assert.equal(code.slice(cursor + firstLineShift, cursor + firstLineShift + "trial.number".length), "trial.number");
  });

  it("asks for a return before anything runs", () => {
    assert.throws(
      () => transformTuneCell("%%tune trials=2\nconst x = trial.suggestFloat('x', 0, 1);", names),
      /must `return` the objective's value/,
    );
  });

  it("never throws while a cell is being edited (check: false)", () => {
    const { options, code } = transformTuneCell("%%tune trials=abc\ntrial.sugg", names, { check: false });
    assert.deepEqual(options, {});
    assert.match(code, /trial\.sugg/);
  });
});

describe("%%tune with several objectives", () => {
  const rejects = (line: string, pattern: RegExp) =>
    assert.throws(
      () => parseMagicLine(line, names),
      (e: unknown) => e instanceof ValueError && pattern.test(e.message),
    );

  it("reads directions=maximize,minimize as one direction per objective", () => {
    assert.deepEqual(parseMagicLine("%%tune study=size directions=maximize,minimize trials=5", names), {
      study: "size",
      directions: ["maximize", "minimize"],
      trials: 5,
    });
    assert.deepEqual(parseMagicLine('%%tune directions="minimize, minimize, maximize"', names).directions, [
      "minimize",
      "minimize",
      "maximize",
    ]);
  });

  it("names a bad direction, where it is, and the valid ones", () => {
    rejects(
      "%%tune directions=maximise,minimize",
      /directions takes minimize or maximize for each objective, comma-separated \(directions=maximize,minimize\); direction 1 of "maximise,minimize" is "maximise"\. Did you mean "maximize"\?/,
    );
    rejects("%%tune directions=maximize,up", /direction 2 of "maximize,up" is "up"\.$/);
    rejects("%%tune directions=maximize,", /direction 2 of "maximize," is ""\./);
    rejects("%%tune directions=", /directions needs a value, e.g\. directions=maximize,minimize/);
    rejects("%%tune directions=maximize", /at least two .*got only "maximize"\. For one objective write direction=maximize\./);
    rejects(
      "%%tune direction=maximize directions=maximize,minimize",
      /give direction= \(one objective\) or directions= \(one per objective\), not both; got direction=maximize and directions=maximize,minimize/,
    );
  });

  it("types the body's return as one number per objective and asks for the list", () => {
    const { code, options } = transformTuneCell("%%tune directions=maximize,minimize\nreturn [0.9, 120];", names);
    assert.match(code.split("\n")[0], /async \(trial\): Promise<readonly number\[\]> => \{$/);
    assert.equal(code.split("\n").at(-1), `}, ${JSON.stringify(options)}));`);
    assert.throws(
      () => transformTuneCell("%%tune directions=maximize,minimize\nconst x = 1;", names),
      /must `return` one value per objective \(maximize, minimize\), e\.g\. `return \[accuracy, size\];`/,
    );
  });
});
