/**
 * Random studies and random filters for checking that every storage answers a trial
 * filter as the in-memory evaluator does.
 */
import fc from "fast-check";
import type { CategoricalChoice, DistributionJson, JsonValue, ParamValue, TrialState } from "../../../core/records.js";
import type { CompareOp, FilterField, FilterLiteral, TrialFilter, TrialOrder } from "../../../core/trial-filter/ast.js";
import type { Storage, TrialTemplate } from "../../../tracker/storage/storage.js";

/** Strings whose byte order and UTF-16 order differ (the fullwidth letter and the emoji), quotes, backslashes. */
export const STRINGS = ["", "a", "ab", "b", "Z", "é", "\uff21", "😀", "'", '"', "\\", "x y", "adam", "sgd"];
const NUMBERS = [-1, 0, 0.5, 1, 2, 2.5, 3, 10, 1e-7, 123456.789, Number.MAX_VALUE];
const CHOICES_A: CategoricalChoice[] = ["adam", "sgd", 1, 2.5, true, false, null];
const CHOICES_B: CategoricalChoice[] = [2.5, "adam", "😀", 0];

const FLOAT: DistributionJson = { name: "FloatDistribution", attributes: { low: -10, high: 10, log: false, step: null } };
const INT: DistributionJson = { name: "IntDistribution", attributes: { low: -5, high: 50, log: false, step: 1 } };
const CAT_A: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: CHOICES_A } };
const CAT_B: DistributionJson = { name: "CategoricalDistribution", attributes: { choices: CHOICES_B } };

/** Parameter names, one that must be quoted. */
export const PARAMS = ["x", "n", "c", "learning rate"];
export const ATTRS = ["u", "tag"];

export interface TrialSpec {
  state: TrialState;
  x?: number;
  n?: number;
  /** A choice of CAT_A or, in some trials, of CAT_B (a search space that changed). */
  c?: { space: "A" | "B"; index: number };
  lr?: number;
  values: number[] | null;
  attrs: Record<string, JsonValue>;
  startSecond: number | null;
  durationMs: number | null;
}

export interface StudySpec {
  objectives: 1 | 2;
  trials: TrialSpec[];
}

const attrValue: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom(...NUMBERS, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...STRINGS),
  fc.boolean(),
  fc.constant(null),
  fc.constant<JsonValue>([1, "a"]),
  fc.constant<JsonValue>({ k: 1 }),
);

const objectiveValue = fc.oneof(
  fc.constantFrom(...NUMBERS, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function trialSpec(objectives: 1 | 2): fc.Arbitrary<TrialSpec> {
  return fc.record({
    state: fc.constantFrom<TrialState>("COMPLETE", "COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"),
    x: fc.option(fc.oneof(fc.constantFrom(...NUMBERS.filter((n) => Math.abs(n) <= 10)), fc.double({ min: -10, max: 10, noNaN: true })), {
      nil: undefined,
    }),
    n: fc.option(fc.integer({ min: -5, max: 50 }), { nil: undefined }),
    c: fc.option(
      fc.oneof(
        fc.record({ space: fc.constant<"A">("A"), index: fc.integer({ min: 0, max: CHOICES_A.length - 1 }) }),
        fc.record({ space: fc.constant<"B">("B"), index: fc.integer({ min: 0, max: CHOICES_B.length - 1 }) }),
      ),
      { nil: undefined },
    ),
    lr: fc.option(fc.double({ min: -10, max: 10, noNaN: true }), { nil: undefined }),
    values: fc.array(objectiveValue, { minLength: objectives, maxLength: objectives }),
    attrs: fc.dictionary(fc.constantFrom(...ATTRS), attrValue, { maxKeys: 2 }),
    startSecond: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    durationMs: fc.option(fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(0, 1000, 2500, 5000)), { nil: null }),
  });
}

export const studySpec: fc.Arbitrary<StudySpec> = fc
  .constantFrom<1 | 2>(1, 2)
  .chain((objectives) => fc.record({ objectives: fc.constant(objectives), trials: fc.array(trialSpec(objectives), { maxLength: 20 }) }));

const BASE = new Date(2026, 0, 1, 12, 0, 0).getTime();

/** The trial template a spec stands for. */
export function template(spec: TrialSpec): TrialTemplate {
  const params: Record<string, ParamValue> = {};
  const distributions: Record<string, DistributionJson> = {};
  if (spec.x !== undefined) [params.x, distributions.x] = [spec.x, FLOAT];
  if (spec.n !== undefined) [params.n, distributions.n] = [spec.n, INT];
  if (spec.lr !== undefined) [params["learning rate"], distributions["learning rate"]] = [spec.lr, FLOAT];
  if (spec.c !== undefined) {
    const space = spec.c.space === "A" ? CAT_A : CAT_B;
    [params.c, distributions.c] = [(spec.c.space === "A" ? CHOICES_A : CHOICES_B)[spec.c.index], space];
  }
  const finished = spec.state === "COMPLETE" || spec.state === "PRUNED" || spec.state === "FAIL";
  const start = spec.startSecond === null || spec.state === "WAITING" ? null : new Date(BASE + spec.startSecond * 1000);
  const complete = finished && start && spec.durationMs !== null ? new Date(start.getTime() + spec.durationMs) : null;
  return {
    state: spec.state,
    params,
    distributions,
    values: spec.state === "COMPLETE" || (spec.state === "PRUNED" && spec.values && spec.values[0] > 0) ? spec.values : null,
    userAttrs: spec.attrs,
    datetimeStart: start,
    datetimeComplete: complete,
  };
}

/** Writes the study into the storage; its id. */
export async function writeStudy(storage: Storage, name: string, spec: StudySpec): Promise<number> {
  const studyId = await storage.createStudy({ name, directions: spec.objectives === 1 ? ["minimize"] : ["minimize", "maximize"] });
  for (const trial of spec.trials) await storage.createTrial(studyId, template(trial));
  return studyId;
}

const anyLiteral: fc.Arbitrary<FilterLiteral> = fc.oneof(
  fc.constantFrom<FilterLiteral>(...NUMBERS, ...CHOICES_A.filter((c): c is FilterLiteral => c !== null), ...(CHOICES_B as FilterLiteral[])),
  fc.double({ min: -20, max: 20, noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.constantFrom(...STRINGS),
  fc.boolean(),
);
const numberLiteral = fc.oneof(fc.constantFrom(...NUMBERS, 0, 1, 2, 5, 10), fc.integer({ min: -5, max: 60 }));
const datetimeLiteral = fc.integer({ min: -5, max: 130 }).map((s) => new Date(BASE + s * 1000).toISOString());

/** A field and a literal that suits it. */
const fieldAndLiteral: fc.Arbitrary<{ field: FilterField; literal: fc.Arbitrary<FilterLiteral> }> = fc.constantFrom<{
  field: FilterField;
  literal: fc.Arbitrary<FilterLiteral>;
}>(
  ...PARAMS.map((name) => ({ field: { kind: "param", name } as FilterField, literal: anyLiteral })),
  ...ATTRS.map((key) => ({ field: { kind: "user_attr", key } as FilterField, literal: anyLiteral })),
  { field: { kind: "value" }, literal: numberLiteral },
  { field: { kind: "values", index: 1 }, literal: numberLiteral },
  { field: { kind: "number" }, literal: numberLiteral },
  { field: { kind: "duration" }, literal: fc.constantFrom(0, 1, 2.5, 5, 10, 19.999) },
  { field: { kind: "datetime_start" }, literal: datetimeLiteral },
  { field: { kind: "datetime_complete" }, literal: datetimeLiteral },
  { field: { kind: "state" }, literal: fc.constantFrom("COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING") },
);

const OPS: CompareOp[] = ["=", "!=", "<", "<=", ">", ">="];

const condition: fc.Arbitrary<TrialFilter> = fieldAndLiteral.chain(({ field, literal }) =>
  fc.oneof(
    fc.record({
      type: fc.constant<"compare">("compare"),
      field: fc.constant(field),
      op: field.kind === "state" ? fc.constantFrom<CompareOp>("=", "!=") : fc.constantFrom(...OPS),
      value: literal,
    }),
    fc.record({
      type: fc.constant<"in">("in"),
      field: fc.constant(field),
      values: fc.array(literal, { minLength: 1, maxLength: 3 }),
      negated: fc.boolean(),
    }),
    fc.record({ type: fc.constant<"null">("null"), field: fc.constant(field), negated: fc.boolean() }),
  ),
);

/** Random filters, up to a few levels of and/or/not. */
export const filterArb: fc.Arbitrary<TrialFilter> = fc.letrec<{ filter: TrialFilter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    condition,
    fc.record({ type: fc.constant<"and">("and"), left: tie("filter"), right: tie("filter") }),
    fc.record({ type: fc.constant<"or">("or"), left: tie("filter"), right: tie("filter") }),
    fc.record({ type: fc.constant<"not">("not"), operand: tie("filter") }),
  ),
})).filter;

export const orderArb: fc.Arbitrary<TrialOrder> = fc.record({
  field: fc.constantFrom<FilterField>(
    { kind: "number" },
    { kind: "value" },
    { kind: "values", index: 1 },
    { kind: "state" },
    { kind: "duration" },
    { kind: "datetime_start" },
    { kind: "datetime_complete" },
    ...PARAMS.map((name) => ({ kind: "param", name }) as FilterField),
    ...ATTRS.map((key) => ({ kind: "user_attr", key }) as FilterField),
  ),
  direction: fc.constantFrom<"asc" | "desc">("asc", "desc"),
});
