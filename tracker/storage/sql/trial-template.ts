import { show, ValueError } from "../../../core/errors.js";
import { checkDatetime } from "../../../core/limits.js";
import {
  type DistributionJson,
  isFinished,
  type JsonValue,
  type ParamValue,
  SYSTEM_ATTR,
  setOwn,
  singleValue,
  TRIAL_STATES,
  type TrialRecord,
  type TrialState,
} from "../../../core/records.js";
import { checkAttrKey, checkIntermediate, checkParam, checkTrialState, encodeObjectiveValues } from "../checks.js";
import { cloneDistribution, distributionToJson, type EncodedValue, encodeValue, formatDatetime, pythonJson } from "../optuna-encoding.js";
import type { TrialTemplate } from "../storage.js";

/** A `TrialTemplate` checked and turned into rows, plus the record it becomes (without id and number). */
export interface PreparedTrial {
  state: TrialState;
  datetimeStart: string | null;
  datetimeComplete: string | null;
  params: { name: string; internal: number; distributionJson: string }[];
  /** One per objective; null for none. */
  values: EncodedValue[] | null;
  intermediates: { step: number; value: EncodedValue }[];
  userAttrs: { key: string; json: string }[];
  systemAttrs: { key: string; json: string }[];
  record: Omit<TrialRecord, "trialId" | "number">;
}

/** Validates a template before any write, with the defaults `InMemoryStorage` uses. */
export function prepareTrial(template: TrialTemplate, now: Date): PreparedTrial {
  const state = template.state ?? "RUNNING";
  checkTrialState(state, TRIAL_STATES);
  const params: PreparedTrial["params"] = [];
  const externalParams: Record<string, ParamValue> = {};
  const distributions: Record<string, DistributionJson> = {};
  for (const [name, value] of Object.entries(template.params ?? {})) {
    const distribution = template.distributions?.[name];
    if (!distribution) {
      throw new ValueError(
        `Parameter ${JSON.stringify(name)} has no distribution in the trial template; pass distributions[${JSON.stringify(name)}] too.`,
      );
    }
    params.push({ name, internal: checkParam(name, value, distribution), distributionJson: distributionToJson(distribution) });
    setOwn(externalParams, name, value);
    setOwn(distributions, name, cloneDistribution(distribution));
  }
  if (template.value != null && template.values != null) {
    throw new ValueError(
      `A trial template takes value (one objective) or values (one per objective), not both; got value ${show(template.value)} and values ${show(template.values)}.`,
    );
  }
  const values = template.values != null ? [...template.values] : template.value != null ? [template.value] : null;
  const encodedValues = encodeObjectiveValues(values);
  const intermediateValues: Record<number, number> = {};
  const intermediates: PreparedTrial["intermediates"] = [];
  for (const [key, v] of Object.entries(template.intermediateValues ?? {})) {
    const step = Number(key);
    checkIntermediate(step, v);
    intermediates.push({ step, value: encodeValue(v) });
    intermediateValues[step] = v;
  }
  const userAttrs = structuredClone(template.userAttrs ?? {});
  const systemAttrs = structuredClone(template.systemAttrs ?? {});
  if (template.error !== undefined) {
    if (typeof template.error !== "string") throw new ValueError(`A trial's error must be a string, got ${show(template.error)}.`);
    systemAttrs[SYSTEM_ATTR.failReason] = template.error;
  }
  const attrRows = (attrs: Record<string, JsonValue>) =>
    Object.entries(attrs).map(([key, v]) => {
      checkAttrKey(key);
      return { key, json: pythonJson(v) };
    });
  const datetimeStart = template.datetimeStart !== undefined ? template.datetimeStart : state === "WAITING" ? null : now;
  const datetimeComplete = template.datetimeComplete !== undefined ? template.datetimeComplete : isFinished(state) ? now : null;
  if (datetimeStart !== null) checkDatetime("A trial template's datetimeStart", datetimeStart);
  if (datetimeComplete !== null) checkDatetime("A trial template's datetimeComplete", datetimeComplete);
  return {
    state,
    datetimeStart: datetimeStart && formatDatetime(datetimeStart),
    datetimeComplete: datetimeComplete && formatDatetime(datetimeComplete),
    params,
    values: encodedValues,
    intermediates,
    userAttrs: attrRows(userAttrs),
    systemAttrs: attrRows(systemAttrs),
    record: {
      state,
      params: externalParams,
      distributions,
      value: singleValue(values),
      values,
      intermediateValues,
      userAttrs,
      systemAttrs,
      datetimeStart: datetimeStart && new Date(datetimeStart),
      datetimeComplete: datetimeComplete && new Date(datetimeComplete),
      ...(template.error !== undefined ? { error: template.error } : {}),
    },
  };
}
