import { StorageError } from "../../core/errors.js";
import { STATS_POSTGRES, STATS_SQLITE } from "./sql/aggregates.js";

/**
 * The database schema: Optuna's RDB tables exactly as Optuna 3.1 creates them (so a
 * tunebook database opens in Optuna and optuna-dashboard, and the other way round),
 * plus tables of our own, prefixed `tunebook_`, versioned by our own migrations.
 */

/** Optuna's alembic revision for the tables below (Optuna 3.0 and 3.1). */
export const OPTUNA_ALEMBIC_HEAD = "v3.0.0.d";
/** `version_info` as Optuna 3.1 writes it. */
export const OPTUNA_SCHEMA_VERSION = 12;
export const OPTUNA_LIBRARY_VERSION = "3.1.0";
/** Older Optuna revisions: readable after `optuna storage upgrade`. */
export const OPTUNA_OLDER_REVISIONS: readonly string[] = [
  "v0.9.0.a",
  "v1.2.0.a",
  "v1.3.0.a",
  "v2.4.0.a",
  "v2.6.0.a",
  "v3.0.0.a",
  "v3.0.0.b",
  "v3.0.0.c",
];

/** Optuna 3.1's DDL for SQLite, statement for statement. */
export const OPTUNA_SQLITE_DDL: readonly string[] = [
  `CREATE TABLE studies (study_id INTEGER NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY (study_id))`,
  `CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)`,
  `CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version VARCHAR(256), PRIMARY KEY (version_info_id), CHECK (version_info_id=1))`,
  `CREATE TABLE study_directions (study_direction_id INTEGER NOT NULL, direction VARCHAR(8) NOT NULL, study_id INTEGER NOT NULL, objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id), UNIQUE (study_id, objective), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE study_user_attributes (study_user_attribute_id INTEGER NOT NULL, study_id INTEGER, "key" VARCHAR(512), value_json TEXT, PRIMARY KEY (study_user_attribute_id), UNIQUE (study_id, "key"), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE study_system_attributes (study_system_attribute_id INTEGER NOT NULL, study_id INTEGER, "key" VARCHAR(512), value_json TEXT, PRIMARY KEY (study_system_attribute_id), UNIQUE (study_id, "key"), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE trials (trial_id INTEGER NOT NULL, number INTEGER, study_id INTEGER, state VARCHAR(8) NOT NULL, datetime_start DATETIME, datetime_complete DATETIME, PRIMARY KEY (trial_id), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE trial_user_attributes (trial_user_attribute_id INTEGER NOT NULL, trial_id INTEGER, "key" VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_user_attribute_id), UNIQUE (trial_id, "key"), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_system_attributes (trial_system_attribute_id INTEGER NOT NULL, trial_id INTEGER, "key" VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_system_attribute_id), UNIQUE (trial_id, "key"), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_params (param_id INTEGER NOT NULL, trial_id INTEGER, param_name VARCHAR(512), param_value FLOAT, distribution_json TEXT, PRIMARY KEY (param_id), UNIQUE (trial_id, param_name), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_values (trial_value_id INTEGER NOT NULL, trial_id INTEGER NOT NULL, objective INTEGER NOT NULL, value FLOAT, value_type VARCHAR(7) NOT NULL, PRIMARY KEY (trial_value_id), UNIQUE (trial_id, objective), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_intermediate_values (trial_intermediate_value_id INTEGER NOT NULL, trial_id INTEGER NOT NULL, step INTEGER NOT NULL, intermediate_value FLOAT, intermediate_value_type VARCHAR(7) NOT NULL, PRIMARY KEY (trial_intermediate_value_id), UNIQUE (trial_id, step), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_heartbeats (trial_heartbeat_id INTEGER NOT NULL, trial_id INTEGER NOT NULL, heartbeat DATETIME NOT NULL, PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))`,
  `INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ${OPTUNA_SCHEMA_VERSION}, '${OPTUNA_LIBRARY_VERSION}')`,
  `INSERT INTO alembic_version (version_num) VALUES ('${OPTUNA_ALEMBIC_HEAD}')`,
];

/**
 * Optuna 3.1's DDL for PostgreSQL, as its SQLAlchemy models compile for that dialect:
 * SERIAL keys, DOUBLE PRECISION (`FLOAT(53)`), TIMESTAMP, and PG enum types for
 * states, directions and value types.
 */
export const OPTUNA_POSTGRES_DDL: readonly string[] = [
  `CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')`,
  `CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')`,
  `CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')`,
  `CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')`,
  `CREATE TABLE studies (study_id SERIAL NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY (study_id))`,
  `CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)`,
  `CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version VARCHAR(256), PRIMARY KEY (version_info_id), CHECK (version_info_id=1))`,
  `CREATE TABLE study_directions (study_direction_id SERIAL NOT NULL, direction studydirection NOT NULL, study_id INTEGER NOT NULL, objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id), UNIQUE (study_id, objective), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE study_system_attributes (study_system_attribute_id SERIAL NOT NULL, study_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (study_system_attribute_id), UNIQUE (study_id, key), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE study_user_attributes (study_user_attribute_id SERIAL NOT NULL, study_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (study_user_attribute_id), UNIQUE (study_id, key), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE trials (trial_id SERIAL NOT NULL, number INTEGER, study_id INTEGER, state trialstate NOT NULL, datetime_start TIMESTAMP WITHOUT TIME ZONE, datetime_complete TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (trial_id), FOREIGN KEY(study_id) REFERENCES studies (study_id))`,
  `CREATE TABLE trial_heartbeats (trial_heartbeat_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, heartbeat TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_intermediate_values (trial_intermediate_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, step INTEGER NOT NULL, intermediate_value FLOAT(53), intermediate_value_type trialintermediatevaluetype NOT NULL, PRIMARY KEY (trial_intermediate_value_id), UNIQUE (trial_id, step), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_params (param_id SERIAL NOT NULL, trial_id INTEGER, param_name VARCHAR(512), param_value FLOAT(53), distribution_json TEXT, PRIMARY KEY (param_id), UNIQUE (trial_id, param_name), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_system_attributes (trial_system_attribute_id SERIAL NOT NULL, trial_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_system_attribute_id), UNIQUE (trial_id, key), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_user_attributes (trial_user_attribute_id SERIAL NOT NULL, trial_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_user_attribute_id), UNIQUE (trial_id, key), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE trial_values (trial_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, objective INTEGER NOT NULL, value FLOAT(53), value_type trialvaluetype NOT NULL, PRIMARY KEY (trial_value_id), UNIQUE (trial_id, objective), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))`,
  `CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))`,
  `INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ${OPTUNA_SCHEMA_VERSION}, '${OPTUNA_LIBRARY_VERSION}')`,
  `INSERT INTO alembic_version (version_num) VALUES ('${OPTUNA_ALEMBIC_HEAD}')`,
];

/** One step of our own schema; each statement is idempotent, and all run in one transaction. */
export interface Migration {
  version: number;
  sqlite: readonly string[];
  postgres: readonly string[];
}

const CLAIMS = `CREATE TABLE IF NOT EXISTS tunebook_claims (study_id INTEGER NOT NULL, "key" VARCHAR(512) NOT NULL, trial_id INTEGER NOT NULL, PRIMARY KEY (study_id, "key"))`;
// Serves trial numbering (MAX(number)) and "trials of a study by number"; Optuna ignores it.
const TRIALS_BY_NUMBER = `CREATE INDEX IF NOT EXISTS tunebook_ix_trials_study_number ON trials (study_id, number)`;

/** Our migrations, oldest first; `tunebook_schema` holds the version applied last. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sqlite: [`CREATE TABLE IF NOT EXISTS tunebook_schema (version INTEGER NOT NULL)`, CLAIMS, TRIALS_BY_NUMBER],
    postgres: [`CREATE TABLE IF NOT EXISTS tunebook_schema (version INTEGER NOT NULL)`, CLAIMS, TRIALS_BY_NUMBER],
  },
  // Study summaries kept by triggers (sql/aggregates.ts), built from the trials already there.
  { version: 2, sqlite: STATS_SQLITE, postgres: STATS_POSTGRES },
];

/** The schema version this tunebook writes. */
export const TUNEBOOK_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Why a database's Optuna revision cannot be used, or null if it can. */
export function optunaRevisionProblem(revision: string | null, location: string, upgradeUrl: string): string | null {
  if (revision === null || revision === OPTUNA_ALEMBIC_HEAD) return null;
  if (OPTUNA_OLDER_REVISIONS.includes(revision)) {
    return `${location} was written by an older Optuna (schema revision ${JSON.stringify(revision)}; tunebook reads ${JSON.stringify(OPTUNA_ALEMBIC_HEAD)}, Optuna 3.0/3.1). Upgrade it first with: optuna storage upgrade --storage ${upgradeUrl}`;
  }
  return `${location} has Optuna schema revision ${JSON.stringify(revision)}, which this tunebook does not know (it reads Optuna's schema up to ${JSON.stringify(OPTUNA_ALEMBIC_HEAD)}, Optuna 3.1). It was probably written by a newer Optuna; tunebook leaves it untouched.`;
}

export function newerSchemaProblem(found: number, location: string): string {
  return `${location} was written by a newer tunebook (storage schema version ${found}; this tunebook knows versions up to ${TUNEBOOK_SCHEMA_VERSION}). Upgrade tunebook to open it; the database was left untouched.`;
}

/** Optuna's tables; a database has all of them or none. */
export const OPTUNA_TABLES: readonly string[] = [
  "studies",
  "version_info",
  "study_directions",
  "study_user_attributes",
  "study_system_attributes",
  "trials",
  "trial_user_attributes",
  "trial_system_attributes",
  "trial_params",
  "trial_values",
  "trial_intermediate_values",
  "trial_heartbeats",
];

/** What a database holds: its tables, Optuna's alembic revision, our schema version (0: none). */
export interface SchemaState {
  tables: ReadonlySet<string>;
  revision: string | null;
  ours: number;
}

/**
 * Throws a `StorageError` if tunebook cannot use the database (newer tunebook, unknown or
 * old Optuna revision, another application's tables, an incomplete schema); returns true
 * if tables must be created or migrated first.
 */
export function checkSchema(state: SchemaState, location: string, upgradeUrl: string, mustExist: boolean): boolean {
  const { tables, revision, ours } = state;
  if (ours > TUNEBOOK_SCHEMA_VERSION) throw new StorageError(newerSchemaProblem(ours, location));
  const problem = optunaRevisionProblem(revision, location, upgradeUrl);
  if (problem) throw new StorageError(problem);
  const present = OPTUNA_TABLES.filter((t) => tables.has(t));
  if (present.length === 0) {
    const foreign = [...tables].filter((t) => !t.startsWith("tunebook_") && !t.startsWith("sqlite_") && t !== "alembic_version");
    if (foreign.length > 0) {
      throw new StorageError(
        `${location} belongs to another application (its tables: ${foreign.slice(0, 8).join(", ")}${foreign.length > 8 ? ", ..." : ""}); tunebook left it untouched. Choose another database.`,
      );
    }
    if (mustExist)
      throw new StorageError(
        `${location} holds no studies yet (it has no tunebook tables); nothing was created. Check the location, or run a study first.`,
      );
    return true;
  }
  if (present.length < OPTUNA_TABLES.length) {
    const missing = OPTUNA_TABLES.filter((t) => !tables.has(t));
    throw new StorageError(
      `${location} has an incomplete Optuna schema (missing tables: ${missing.join(", ")}); tunebook left it untouched.`,
    );
  }
  return ours < TUNEBOOK_SCHEMA_VERSION;
}
