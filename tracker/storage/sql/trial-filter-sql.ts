import { NotFoundError } from "../../../core/errors.js";
import type { CategoricalChoice, TrialRecord } from "../../../core/records.js";
import {
  type CompareOp,
  type FilterField,
  type FilterLiteral,
  filterFields,
  type TrialFilter,
  type TrialOrder,
} from "../../../core/trial-filter/ast.js";
import { compareFieldValue, literalValue } from "../../../core/trial-filter/evaluate.js";
import { distributionFromJson, formatDatetime } from "../optuna-encoding.js";
import type { TrialPage } from "../storage.js";
import type { CheckedTrialQuery } from "../trial-query.js";
import type { FilterSyntax } from "./port.js";
import { query, queryFirst, type Sql } from "./port.js";
import { loadTrials } from "./reads.js";

/**
 * Trial filters (core/trial-filter) compiled to SQL over Optuna's tables, meaning exactly
 * what the in-memory evaluator means: each comparison is a scalar subquery that is NULL
 * when the evaluator says "unknown", so SQL's own three-valued AND/OR/NOT do the rest.
 *
 * Every value from the filter is a bound parameter; the SQL text is made only of the
 * fragments written in this file and the dialect's `FilterSyntax`. Categorical parameters
 * are stored as choice indices: the choices of each categorical distribution a parameter
 * has in the study are read first, the evaluator decides which indices match, and the
 * SQL tests `distribution_json` and the index.
 */

/** SQL text with its bound values, in the order of their `?`. */
export interface Fragment {
  readonly sql: string;
  readonly args: readonly unknown[];
}

type Part = Fragment | Bound;
/** A value bound as a parameter, cast so PostgreSQL knows its type. */
interface Bound {
  readonly bound: unknown;
  readonly cast: "DOUBLE PRECISION" | "TEXT" | "INTEGER" | null;
}

const num = (value: number): Bound => ({ bound: value, cast: "DOUBLE PRECISION" });
const text = (value: string): Bound => ({ bound: value, cast: "TEXT" });
const int = (value: number): Bound => ({ bound: value, cast: "INTEGER" });
/** Bound without a cast: PostgreSQL takes the type of the column it meets. */
const plain = (value: unknown): Bound => ({ bound: value, cast: null });

/** Builds a fragment: template text is SQL, every `Fragment` is spliced in, every `Bound` becomes a `?`. */
function sql(strings: TemplateStringsArray, ...parts: Part[]): Fragment {
  let out = strings[0];
  const args: unknown[] = [];
  parts.forEach((part, i) => {
    if ("sql" in part) {
      out += part.sql;
      args.push(...part.args);
    } else {
      out += part.cast ? `CAST(? AS ${part.cast})` : "?";
      args.push(part.bound);
    }
    out += strings[i + 1];
  });
  return { sql: out, args };
}

/** SQL written here, never built from input. */
function raw(text: string): Fragment {
  return { sql: text, args: [] };
}

function join(fragments: readonly Fragment[], separator: string): Fragment {
  return { sql: fragments.map((f) => f.sql).join(separator), args: fragments.flatMap((f) => f.args) };
}

const OP_SQL: Record<CompareOp, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const UNKNOWN = raw("CAST(NULL AS BOOLEAN)");
const ATTR_TABLES = { user_attr: "trial_user_attributes", system_attr: "trial_system_attributes" } as const;

/** A categorical distribution a parameter has in the study: its stored JSON and its choices. */
export interface CategoricalSpace {
  json: string;
  choices: CategoricalChoice[];
}

/** Compiles filters and orders for one study, whose categorical distributions it was given. */
export class TrialFilterCompiler {
  constructor(
    private readonly syntax: FilterSyntax,
    private readonly categorical: ReadonlyMap<string, readonly CategoricalSpace[]>,
  ) {}

  /** A boolean expression over `trials t`. */
  where(filter: TrialFilter): Fragment {
    switch (filter.type) {
      case "and":
        return sql`(${this.where(filter.left)} AND ${this.where(filter.right)})`;
      case "or":
        return sql`(${this.where(filter.left)} OR ${this.where(filter.right)})`;
      case "not":
        return sql`(NOT ${this.where(filter.operand)})`;
      case "compare":
        return this.compare(filter.field, filter.op, filter.value);
      case "in": {
        const any = join(
          filter.values.map((v) => this.compare(filter.field, "=", v)),
          " OR ",
        );
        return filter.negated ? sql`(NOT (${any}))` : sql`(${any})`;
      }
      case "null": {
        const isNull = this.isNull(filter.field);
        return filter.negated ? sql`(NOT ${isNull})` : isNull;
      }
    }
  }

  private compare(field: FilterField, op: CompareOp, literal: FilterLiteral): Fragment {
    const o = raw(OP_SQL[op]);
    const value = literalValue(field, literal);
    switch (field.kind) {
      case "number":
        return typeof value === "number" ? sql`(t.number ${o} ${num(value)})` : UNKNOWN;
      case "state":
        return typeof value === "string" ? sql`(CAST(t.state AS TEXT) ${o} ${text(value)})` : UNKNOWN;
      case "value":
      case "values": {
        if (typeof value !== "number") return UNKNOWN;
        const index = field.kind === "value" ? 0 : field.index;
        return sql`(SELECT ${this.objectiveValue("v")} ${o} ${num(value)} FROM trial_values v WHERE v.trial_id = t.trial_id AND v.objective = ${plain(index)})`;
      }
      case "duration":
        return typeof value === "number" ? sql`(${this.duration()} ${o} ${num(value)})` : UNKNOWN;
      case "datetime_start":
      case "datetime_complete":
        // Stored as Optuna's datetime text (SQLite) or a timestamp (PostgreSQL): the bound text compares as either.
        return typeof value === "number" && !Number.isNaN(value)
          ? sql`(${raw(`t.${field.kind}`)} ${o} ${plain(formatDatetime(new Date(value)))})`
          : UNKNOWN;
      case "param":
        return this.paramCompare(field.name, op, value);
      case "user_attr":
      case "system_attr":
        return sql`(SELECT ${this.attrCompare("a", op, value)} FROM ${raw(ATTR_TABLES[field.kind])} a WHERE a.trial_id = t.trial_id AND a."key" = ${plain(field.key)})`;
    }
  }

  private isNull(field: FilterField): Fragment {
    switch (field.kind) {
      case "number":
      case "state":
        return raw("(1 = 0)");
      case "value":
      case "values": {
        const index = field.kind === "value" ? 0 : field.index;
        return sql`(NOT EXISTS (SELECT 1 FROM trial_values v WHERE v.trial_id = t.trial_id AND v.objective = ${plain(index)}))`;
      }
      case "duration":
        return raw("(t.datetime_start IS NULL OR t.datetime_complete IS NULL)");
      case "datetime_start":
      case "datetime_complete":
        return raw(`(t.${field.kind} IS NULL)`);
      case "param": {
        // A categorical param whose choice is null reads as null too.
        const nullChoice = this.choicesWhere(field.name, "p", (choice) => choice === null);
        const present = nullChoice ? sql` AND NOT ${nullChoice}` : raw("");
        return sql`(NOT EXISTS (SELECT 1 FROM trial_params p WHERE p.trial_id = t.trial_id AND p.param_name = ${plain(field.name)}${present}))`;
      }
      case "user_attr":
      case "system_attr":
        return sql`(NOT EXISTS (SELECT 1 FROM ${raw(ATTR_TABLES[field.kind])} a WHERE a.trial_id = t.trial_id AND a."key" = ${plain(field.key)} AND a.value_json <> 'null'))`;
    }
  }

  /** A trial_values row's value, ±Infinity included (alias `v`). */
  private objectiveValue(alias: string): Fragment {
    const inf = this.syntax.infinity;
    return raw(
      `(CASE WHEN ${alias}.value_type = 'FINITE' THEN ${alias}.value WHEN ${alias}.value_type = 'INF_POS' THEN ${inf} WHEN ${alias}.value_type = 'INF_NEG' THEN -${inf} END)`,
    );
  }

  private duration(): Fragment {
    return raw(this.syntax.durationSeconds("t.datetime_start", "t.datetime_complete"));
  }

  private paramCompare(name: string, op: CompareOp, value: number | string | boolean): Fragment {
    const numeric = typeof value === "number" ? sql`(p.param_value ${raw(OP_SQL[op])} ${num(value)})` : UNKNOWN;
    const spaces = this.categorical.get(name) ?? [];
    let test = numeric;
    if (spaces.length > 0) {
      const yes = this.choicesWhere(name, "p", (choice) => compareFieldValue(choice, op, value) === true);
      const no = this.choicesWhere(name, "p", (choice) => compareFieldValue(choice, op, value) === false);
      const decided = [yes ? sql`WHEN ${yes} THEN TRUE` : null, no ? sql`WHEN ${no} THEN FALSE` : null].filter(
        (f): f is Fragment => f !== null,
      );
      const categorical = decided.length ? sql`(CASE ${join(decided, " ")} END)` : UNKNOWN;
      const jsons = join(
        spaces.map((s) => sql`${plain(s.json)}`),
        ", ",
      );
      test = sql`(CASE WHEN p.distribution_json IN (${jsons}) THEN ${categorical} ELSE ${numeric} END)`;
    }
    return sql`(SELECT ${test} FROM trial_params p WHERE p.trial_id = t.trial_id AND p.param_name = ${plain(name)})`;
  }

  /** `(distribution_json = ? AND param_value IN (...)) OR ...` for the choices where `pick` holds; null if none. */
  private choicesWhere(name: string, alias: string, pick: (choice: CategoricalChoice) => boolean): Fragment | null {
    const terms: Fragment[] = [];
    for (const space of this.categorical.get(name) ?? []) {
      const indices = space.choices.flatMap((choice, i) => (pick(choice) ? [i] : []));
      if (indices.length === 0) continue;
      const list = join(
        indices.map((i) => sql`${plain(i)}`),
        ", ",
      );
      terms.push(sql`(${raw(alias)}.distribution_json = ${plain(space.json)} AND ${raw(alias)}.param_value IN (${list}))`);
    }
    return terms.length ? sql`(${join(terms, " OR ")})` : null;
  }

  /** An attribute's JSON text as a number, a string or a boolean (0/1); NULL when it is another type (alias `a`). */
  private attrAs(alias: string, type: "number" | "string" | "boolean"): Fragment {
    const v = `${alias}.value_json`;
    const inf = this.syntax.infinity;
    if (type === "number")
      return raw(
        `(CASE WHEN ${v} = 'Infinity' THEN ${inf} WHEN ${v} = '-Infinity' THEN -${inf} WHEN substr(${v}, 1, 1) IN ('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9') THEN CAST(${v} AS DOUBLE PRECISION) END)`,
      );
    if (type === "string") return raw(`(CASE WHEN substr(${v}, 1, 1) = '"' THEN ${this.syntax.jsonString(v)} END)`);
    return raw(`(CASE WHEN ${v} = 'true' THEN 1 WHEN ${v} = 'false' THEN 0 END)`);
  }

  private attrCompare(alias: string, op: CompareOp, value: number | string | boolean): Fragment {
    const o = raw(OP_SQL[op]);
    if (typeof value === "number") return sql`(${this.attrAs(alias, "number")} ${o} ${num(value)})`;
    if (typeof value === "string") return sql`(${this.attrAs(alias, "string")}${raw(this.syntax.byCodePoint)} ${o} ${text(value)})`;
    return sql`(${this.attrAs(alias, "boolean")} ${o} ${int(value ? 1 : 0)})`;
  }

  /**
   * How to sort by a field, as `sortTrials` does: a join (over `trials t`, alias `o`) and
   * sort keys — first "missing" (true sorts last), then a type rank (numbers, strings,
   * booleans), a number and a string, each of which the direction applies to.
   */
  order(order: TrialOrder): { join: Fragment; missing: Fragment; keys: Fragment[] } {
    const field = order.field;
    const none = raw("");
    const scalar = (expr: Fragment) => ({ join: none, missing: sql`(${expr} IS NULL)`, keys: [expr] });
    switch (field.kind) {
      case "number":
        return scalar(raw("t.number"));
      case "state":
        return scalar(sql`CAST(t.state AS TEXT)${raw(this.syntax.byCodePoint)}`);
      case "duration":
        return scalar(this.duration());
      case "datetime_start":
      case "datetime_complete":
        return scalar(raw(`t.${field.kind}`));
      case "value":
      case "values": {
        const index = field.kind === "value" ? 0 : field.index;
        const value = this.objectiveValue("o");
        return {
          join: sql` LEFT JOIN trial_values o ON o.trial_id = t.trial_id AND o.objective = ${plain(index)}`,
          missing: sql`(${value} IS NULL)`,
          keys: [value],
        };
      }
      case "user_attr":
      case "system_attr": {
        const v = "o.value_json";
        const rank = raw(
          `(CASE WHEN ${v} IN ('Infinity', '-Infinity') OR substr(${v}, 1, 1) IN ('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9') THEN 0 WHEN substr(${v}, 1, 1) = '"' THEN 1 WHEN ${v} IN ('true', 'false') THEN 2 END)`,
        );
        const number = raw(
          `(CASE WHEN ${v} IN ('true', 'false') THEN ${this.attrAs("o", "boolean").sql} ELSE ${this.attrAs("o", "number").sql} END)`,
        );
        return {
          join: sql` LEFT JOIN ${raw(ATTR_TABLES[field.kind])} o ON o.trial_id = t.trial_id AND o."key" = ${plain(field.key)}`,
          missing: sql`(${rank} IS NULL)`,
          keys: [rank, number, sql`${this.attrAs("o", "string")}${raw(this.syntax.byCodePoint)}`],
        };
      }
      case "param":
        return this.paramOrder(field.name);
    }
  }

  private paramOrder(name: string): { join: Fragment; missing: Fragment; keys: Fragment[] } {
    const spaces = this.categorical.get(name) ?? [];
    const rank: Fragment[] = [];
    const number: Fragment[] = [];
    const string: Fragment[] = [];
    for (const space of spaces) {
      for (const [i, choice] of space.choices.entries()) {
        const when = sql`WHEN o.distribution_json = ${plain(space.json)} AND o.param_value = ${plain(i)}`;
        if (choice === null || (typeof choice === "number" && Number.isNaN(choice))) continue;
        const type = typeof choice === "number" ? 0 : typeof choice === "string" ? 1 : 2;
        rank.push(sql`${when} THEN ${int(type)}`);
        if (typeof choice === "string") string.push(sql`${when} THEN ${text(choice)}`);
        else number.push(sql`${when} THEN ${num(Number(choice))}`);
      }
    }
    const categorical = spaces.length
      ? sql`o.distribution_json IN (${join(
          spaces.map((s) => sql`${plain(s.json)}`),
          ", ",
        )})`
      : raw("1 = 0");
    const cases = (whens: Fragment[], otherwise: Fragment) =>
      whens.length
        ? sql`(CASE WHEN NOT ${categorical} THEN ${otherwise} ${join(whens, " ")} END)`
        : sql`(CASE WHEN NOT ${categorical} THEN ${otherwise} END)`;
    const rankKey = cases(rank, raw("(CASE WHEN o.param_value IS NULL THEN NULL ELSE 0 END)"));
    return {
      join: sql` LEFT JOIN trial_params o ON o.trial_id = t.trial_id AND o.param_name = ${plain(name)}`,
      missing: sql`(${rankKey} IS NULL)`,
      keys: [rankKey, cases(number, raw("o.param_value")), sql`${cases(string, raw("CAST(NULL AS TEXT)"))}${raw(this.syntax.byCodePoint)}`],
    };
  }
}

const LOAD_CHUNK = 1000;

/** Names of the parameters a filter and an order read. */
function paramNames(filter: TrialFilter | undefined, order: TrialOrder): Set<string> {
  const names = new Set<string>();
  for (const field of [...(filter ? filterFields(filter) : []), order.field]) if (field.kind === "param") names.add(field.name);
  return names;
}

/** The categorical distributions each named parameter has in the study. */
function* categoricalSpaces(studyId: number, names: Iterable<string>): Sql<Map<string, CategoricalSpace[]>> {
  const spaces = new Map<string, CategoricalSpace[]>();
  for (const name of names) {
    const rows = yield* query<{ distribution_json: string }>(
      `SELECT DISTINCT p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id
       WHERE t.study_id = ? AND p.param_name = ? AND p.distribution_json LIKE ?`,
      [studyId, name, "%CategoricalDistribution%"],
    );
    const found: CategoricalSpace[] = [];
    for (const { distribution_json: json } of rows) {
      const d = distributionFromJson(json);
      if (d.name === "CategoricalDistribution") found.push({ json, choices: d.attributes.choices });
    }
    spaces.set(name, found);
  }
  return spaces;
}

/**
 * One page of the study's trials matching the query, in its order, and how many match:
 * a count, the page's ids (sorted and cut in SQL), then those trials only.
 */
export function* queryTrialPage(studyId: number, q: CheckedTrialQuery, syntax: FilterSyntax): Sql<TrialPage> {
  if (!(yield* queryFirst("SELECT 1 AS found FROM studies WHERE study_id = ?", [studyId])))
    throw new NotFoundError(`No study with id ${studyId}.`);
  const compiler = new TrialFilterCompiler(syntax, yield* categoricalSpaces(studyId, paramNames(q.where, q.orderBy)));
  const conditions: Fragment[] = [sql`t.study_id = ${plain(studyId)}`];
  if (q.states) {
    if (q.states.length === 0) return { trials: [], total: 0 };
    conditions.push(
      sql`CAST(t.state AS TEXT) IN (${join(
        [...new Set(q.states)].map((s) => sql`${text(s)}`),
        ", ",
      )})`,
    );
  }
  if (q.where) conditions.push(compiler.where(q.where));
  const where = join(conditions, " AND ");
  const counted = yield* queryFirst<{ n: number | string }>(`SELECT COUNT(*) AS n FROM trials t WHERE ${where.sql}`, where.args);
  const total = Number(counted?.n ?? 0);
  if (total === 0 || q.offset >= total || q.limit === 0) return { trials: [], total };
  const order = compiler.order(q.orderBy);
  const direction = q.orderBy.direction === "asc" ? "ASC" : "DESC";
  const keys = join([order.missing, ...order.keys.map((k) => sql`${k} ${raw(direction)}`), raw("t.number ASC")], ", ");
  const page = sql`SELECT t.trial_id FROM trials t${order.join} WHERE ${where} ORDER BY ${keys} LIMIT ${plain(q.limit ?? total)} OFFSET ${plain(q.offset)}`;
  const ids = (yield* query<{ trial_id: number }>(page.sql, page.args)).map((r) => Number(r.trial_id));
  if (ids.length === 0) return { trials: [], total };
  const byId = new Map<number, TrialRecord>();
  // In chunks: databases bound the number of parameters of one statement.
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    const chunk = ids.slice(i, i + LOAD_CHUNK);
    for (const t of yield* loadTrials(`t.trial_id IN (${chunk.map(() => "?").join(", ")})`, chunk, "unknown")) byId.set(t.trialId, t);
  }
  return { trials: ids.map((id) => byId.get(id)!), total };
}
