/** Where studies and trials live: one interface, three implementations, one URL scheme. */

export { InMemoryStorage } from "./memory.js";
export { type OpenStorageOptions, openStorage, STORAGE_URL_FORMS } from "./open.js";
export { PostgresStorage, type PostgresStorageOptions } from "./postgres.js";
export { OPTUNA_ALEMBIC_HEAD, TUNEBOOK_SCHEMA_VERSION } from "./schema.js";
export { SqliteStorage, type SqliteStorageOptions } from "./sqlite.js";
export type { CreateStudyOptions, FinishedState, Storage, TrialPage, TrialQueryOptions, TrialTemplate } from "./storage.js";
