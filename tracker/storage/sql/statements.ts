import type { TransactionKind } from "./port.js";

/** Upserts and table lists of Optuna's schema, as the SQL storage writes them on every dialect. */

/** Tables holding a trial's rows, by trial_id. */
export const TRIAL_CHILD_TABLES = [
  "trial_params",
  "trial_values",
  "trial_intermediate_values",
  "trial_user_attributes",
  "trial_system_attributes",
  "trial_heartbeats",
] as const;

/** Tables holding a study's rows, by study_id, in an order that keeps foreign keys satisfied while deleting. */
export const STUDY_TABLES = [
  "trials",
  "tunebook_claims",
  "study_user_attributes",
  "study_system_attributes",
  "study_directions",
  "studies",
] as const;

export const UPSERT_PARAM = `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)
  ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json`;
export const UPSERT_VALUE = `INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)
  ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type`;
export const UPSERT_INTERMEDIATE = `INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)
  ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type`;

/** A table of attributes: whose they are, how a write to them commits, and its upsert. */
export interface AttrTable {
  owner: "study_id" | "trial_id";
  kind: TransactionKind;
  upsert: string;
}

function attrTable(name: string, owner: AttrTable["owner"], kind: TransactionKind): AttrTable {
  const upsert = `INSERT INTO ${name} (${owner}, "key", value_json) VALUES (?, ?, ?) ON CONFLICT (${owner}, "key") DO UPDATE SET value_json = excluded.value_json`;
  return { owner, kind, upsert };
}

// A study's attributes are written durably; a running trial's are progress, made durable when it finishes.
export const STUDY_USER_ATTRS = attrTable("study_user_attributes", "study_id", "write");
export const STUDY_SYSTEM_ATTRS = attrTable("study_system_attributes", "study_id", "write");
export const TRIAL_USER_ATTRS = attrTable("trial_user_attributes", "trial_id", "progress");
export const TRIAL_SYSTEM_ATTRS = attrTable("trial_system_attributes", "trial_id", "progress");
