import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../core/errors.js";
import type { TrialRecord } from "../../core/records.js";
import {
  evaluateTrialFilter,
  matchesTrialFilter,
  parseFilterDatetime,
  parseFilterField,
  parseTrialFilter,
  printTrialFilter,
  sortTrials,
  TrialFilterError,
} from "../../core/trial-filter/index.js";
import { filterArb } from "../tracker/storage/trial-filter-cases.js";

/** The structure of a filter with conditions as their text, e.g. `(a or (b and c))`. */
function shape(text: string): string {
  const walk = (f: ReturnType<typeof parseTrialFilter>): string => {
    switch (f.type) {
      case "and":
      case "or":
        return `(${walk(f.left)} ${f.type} ${walk(f.right)})`;
      case "not":
        return `(not ${walk(f.operand)})`;
      default:
        return printTrialFilter(f);
    }
  };
  return walk(parseTrialFilter(text));
}

function error(text: string): TrialFilterError {
  try {
    parseTrialFilter(text);
  } catch (e) {
    assert.ok(e instanceof TrialFilterError, `expected a TrialFilterError, got ${e}`);
    assert.ok(e instanceof ValueError);
    return e;
  }
  assert.fail(`${JSON.stringify(text)} parsed`);
}

function trial(partial: Partial<TrialRecord>): TrialRecord {
  return {
    trialId: 1,
    number: 0,
    state: "COMPLETE",
    params: {},
    distributions: {},
    value: null,
    values: null,
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
    ...partial,
  };
}

describe("parseTrialFilter", () => {
  it("binds not tighter than and, and tighter than or", () => {
    assert.equal(shape("number = 1 or number = 2 and number = 3"), "(number = 1 or (number = 2 and number = 3))");
    assert.equal(shape("number = 1 and number = 2 or number = 3"), "((number = 1 and number = 2) or number = 3)");
    assert.equal(shape("not number = 1 and number = 2"), "((not number = 1) and number = 2)");
    assert.equal(shape("not (number = 1 or number = 2)"), "(not (number = 1 or number = 2))");
    assert.equal(shape("number = 1 or number = 2 or number = 3"), "((number = 1 or number = 2) or number = 3)");
  });

  it("reads every field, literal and condition form", () => {
    const f = parseTrialFilter(
      'params."learning rate" >= 1e-3 AND values[1] < -2 and values.0 != 0.5 and user_attrs.tag in (\'a\', "b", true) and system_attrs.k is not null and state = complete and Duration <= 60 and datetime_start > "2026-01-31T12:00:00Z" and params.k not in (1, 2)',
    );
    assert.equal(
      printTrialFilter(f),
      'params."learning rate" >= 0.001 and values[1] < -2 and values[0] != 0.5 and user_attrs.tag in ("a", "b", true) and system_attrs.k is not null and state = COMPLETE and duration <= 60 and datetime_start > "2026-01-31T12:00:00Z" and params.k not in (1, 2)',
    );
    assert.deepEqual(parseTrialFilter("5 < params.k"), { type: "compare", field: { kind: "param", name: "k" }, op: ">", value: 5 });
    assert.deepEqual(parseFilterField("values[2]"), { kind: "values", index: 2 });
    assert.deepEqual(parseFilterField('params."a.b"'), { kind: "param", name: "a.b" });
  });

  it("points at the problem with its position and a caret", () => {
    const e = error("params.k == 5");
    assert.equal(e.position, 9);
    assert.match(e.message, /^unexpected "==" at 10; did you mean "params\.k = 5"\?\n {2}params\.k == 5\n {11}\^\^$/);
    assert.match(error("vale > 3").message, /unknown field "vale" at 1; did you mean "value"\? Fields: params\.<name>, value/);
    assert.match(error("params.opt = adam").message, /at 14; quote strings; did you mean "params\.opt = 'adam'"\?/);
    assert.match(error("params.k = null").message, /write "is null"/);
    assert.match(error("params.k != null").message, /write "is not null"/);
    assert.match(error("state = complet").message, /did you mean COMPLETE\?/);
    assert.match(error("state < COMPLETE").message, /states compare with "=", "!=" and "in \(\.\.\.\)" only/);
    assert.match(error("value = 'x'").message, /value holds numbers/);
    assert.match(error("datetime_start > 'yesterday'").message, /quoted datetime/);
    assert.equal(error("(number = 1").position, 11);
    assert.match(error("(number = 1").message, /expected "\)" to close the "\(" at 1/);
    assert.match(error("number = 1 number = 2").message, /unexpected "number" at 12; expected "and", "or" or the end/);
    assert.match(error("params.k > 'x").message, /unterminated string at 12/);
    assert.match(error("").message, /empty/);
    assert.match(error("number = 1 && number = 2").message, /did you mean "number = 1 and number = 2"/);
    assert.match(error("params. = 1").message, /expected a name after "params\."/);
    assert.match(error("values[x] = 1").message, /objective's index/);
  });

  it("prints filters that parse back to themselves", () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        const text = printTrialFilter(filter);
        assert.deepEqual(parseTrialFilter(text), structuredClone(filter), text);
        assert.equal(printTrialFilter(parseTrialFilter(text)), text);
      }),
      { numRuns: 500 },
    );
  });
});

describe("evaluateTrialFilter", () => {
  const t = trial({
    params: { k: 7, opt: "adam", flag: true, none: null },
    values: [0.5, Number.POSITIVE_INFINITY],
    userAttrs: { u: "x", list: [1], nan: Number.NaN },
    datetimeStart: new Date(2026, 0, 1, 0, 0, 0),
    datetimeComplete: new Date(2026, 0, 1, 0, 0, 2, 500),
  });
  const run = (text: string) => evaluateTrialFilter(parseTrialFilter(text), t);

  it("is unknown for a missing value, and so is its negation", () => {
    assert.equal(run("params.missing > 5"), null);
    assert.equal(run("not params.missing > 5"), null);
    assert.equal(run("params.missing is null"), true);
    assert.equal(run("params.none is null"), true);
    assert.equal(run("params.missing > 5 or params.k = 7"), true);
    assert.equal(run("params.missing > 5 and params.k = 8"), false);
    assert.equal(run("params.missing in (1, 2)"), null);
    assert.equal(run("params.missing not in (1, 2)"), null);
  });

  it("compares within a type only", () => {
    assert.equal(run("params.k > 5"), true);
    assert.equal(run("params.k = '7'"), null);
    assert.equal(run("params.opt = 'adam'"), true);
    assert.equal(run("params.opt in (1, 'adam')"), true);
    assert.equal(run("params.opt not in (1, 'sgd')"), null);
    assert.equal(run("params.flag > false"), true);
    assert.equal(run("user_attrs.list = 1"), null);
    assert.equal(run("user_attrs.list is null"), false);
    assert.equal(run("user_attrs.nan = 1 or user_attrs.nan != 1"), null);
    assert.equal(run("values[1] > 1e308"), true);
    assert.equal(run("values[2] is null"), true);
    assert.equal(run("value = 0.5"), true);
  });

  it("reads durations in seconds and datetimes as local time", () => {
    assert.equal(run("duration = 2.5"), true);
    assert.equal(run("datetime_start >= '2026-01-01' and datetime_start < '2026-01-01T00:00:01'"), true);
    assert.equal(parseFilterDatetime("2026-01-01T00:00:00Z")?.getTime(), Date.UTC(2026, 0, 1));
    assert.equal(parseFilterDatetime("2026-01-01T02:00:00+02:00")?.getTime(), Date.UTC(2026, 0, 1));
    assert.equal(parseFilterDatetime("2026-13-01"), null);
  });

  it("matches only when true", () => {
    assert.equal(matchesTrialFilter(parseTrialFilter("params.missing > 5"), t), false);
    assert.equal(matchesTrialFilter(parseTrialFilter("state = COMPLETE"), t), true);
  });
});

describe("sortTrials", () => {
  it("puts numbers, strings, then booleans in order, missing last either way, ties by number", () => {
    const trials = [
      trial({ number: 0, params: { c: "b" } }),
      trial({ number: 1, params: { c: 2 } }),
      trial({ number: 2 }),
      trial({ number: 3, params: { c: true } }),
      trial({ number: 4, params: { c: "😀" } }),
      trial({ number: 5, params: { c: "\uff21" } }),
      trial({ number: 6, params: { c: 2 } }),
      trial({ number: 7, params: { c: -1 } }),
    ];
    const order = (direction: "asc" | "desc") =>
      sortTrials(trials, { field: parseFilterField("params.c"), direction }).map((x) => x.number);
    assert.deepEqual(order("asc"), [7, 1, 6, 0, 5, 4, 3, 2]);
    assert.deepEqual(order("desc"), [3, 4, 5, 0, 1, 6, 7, 2]);
  });
});
