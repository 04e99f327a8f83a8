import { MIGRATIONS, type Migration, type SchemaState, TUNEBOOK_SCHEMA_VERSION } from "../schema.js";
import { query, queryFirst, type Sql } from "./port.js";

/** What creating and migrating the schema needs to know of a database. */
export interface SchemaScripts {
  /** Lists the tables of the database (the current schema), one `name` per row. */
  listTables: string;
  /** Optuna's DDL for this database. */
  optunaDdl: readonly string[];
  /** A migration's statements for this database. */
  migration(migration: Migration): readonly string[];
}

/** The tables, Optuna's alembic revision and our schema version. */
export function* inspectSchema(scripts: SchemaScripts): Sql<SchemaState> {
  const tables = new Set((yield* query<{ name: string }>(scripts.listTables)).map((r) => r.name));
  const revision = tables.has("alembic_version")
    ? ((yield* queryFirst<{ version_num: string }>("SELECT version_num FROM alembic_version"))?.version_num ?? null)
    : null;
  const ours = tables.has("tunebook_schema")
    ? ((yield* queryFirst<{ v: number | null }>("SELECT MAX(version) AS v FROM tunebook_schema"))?.v ?? 0)
    : 0;
  return { tables, revision, ours };
}

/**
 * Creates or migrates the schema, to be run in one transaction that holds the dialect's
 * schema lock: it looks again first, since another process may have done it meanwhile.
 * `check` throws if the database cannot be used and tells whether there is work to do.
 */
export function* migrateSchema(scripts: SchemaScripts, check: (state: SchemaState) => boolean): Sql<void> {
  const state = yield* inspectSchema(scripts);
  if (!check(state)) return;
  if (!state.tables.has("studies")) for (const sql of scripts.optunaDdl) yield* query(sql);
  for (const migration of MIGRATIONS) {
    if (migration.version <= state.ours) continue;
    for (const sql of scripts.migration(migration)) yield* query(sql);
  }
  yield* query("DELETE FROM tunebook_schema");
  yield* query("INSERT INTO tunebook_schema (version) VALUES (?)", [TUNEBOOK_SCHEMA_VERSION]);
}
