/**
 * Saving and loading models: every model, transformer and pipeline has `toJSON()`
 * (plain JSON: `{ kind, version, params, state }`, see `serial.ts`) and a static
 * `fromJSON(json)`; `modelFromJSON` reads any of them by its kind.
 */
import { Pipeline } from "../pipeline.js";
import { readSaved, STEP_READERS } from "./kinds.js";
import type { Serializable } from "./serial.js";

export { MODEL_FORMAT_VERSION, type ModelJSON, type Serializable } from "./serial.js";

/** Every kind `modelFromJSON` reads, sorted. */
export const MODEL_KINDS: readonly string[] = [...Object.keys(STEP_READERS), "Pipeline"].sort();

/**
 * The live model a `toJSON()` gave, fitted as it was saved (a JSON string is parsed
 * first). Async, since an MLP loads its network through TensorFlow.js. A ValueError
 * names an unknown kind (listing the known ones) or another format version.
 */
export async function modelFromJSON<T = Serializable>(json: unknown): Promise<T> {
  const value = typeof json === "string" ? JSON.parse(json) : json;
  return (await readSaved("modelFromJSON", value, { Pipeline: Pipeline.fromJSON })) as T;
}
