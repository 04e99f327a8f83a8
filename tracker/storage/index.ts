/** Where studies and trials live: one interface, three implementations, one URL scheme. */
export type { CreateStudyOptions, FinishedState, Storage, TrialTemplate } from "./storage.js";
export { InMemoryStorage } from "./memory.js";
export { SqliteStorage, type SqliteStorageOptions } from "./sqlite.js";
export { PostgresStorage, type PostgresStorageOptions } from "./postgres.js";
export { openStorage, STORAGE_URL_FORMS, type OpenStorageOptions } from "./open.js";
export { TUNEBOOK_SCHEMA_VERSION, OPTUNA_ALEMBIC_HEAD } from "./schema.js";
