/**
 * The datasets this process has read, for a study's provenance: the data layer records each
 * table it reads, the tuning engine lists them when it captures where a study came from.
 * Process-wide on purpose: a notebook loads its data in one cell and tunes in another.
 */

/** One dataset read: what it is called, where it came from, its shape and a hash of its content. */
export interface DatasetFingerprint {
  /** The file's name, or the bundled dataset's name (`iris`). */
  name: string;
  /** The path it was read from, as given; null for data that came from no file. */
  path: string | null;
  rows: number;
  /** Column names, in order. */
  columns: string[];
  /** sha256 of the content, hex. */
  sha256: string;
}

/** At most this many datasets are kept (the latest); a process that reads more keeps the last ones. */
export const MAX_FINGERPRINTS = 50;

/** On `globalThis` under a registered symbol: one registry even when this module is loaded twice (ES module and `require`). */
const KEY = Symbol.for("tunebook.datasetFingerprints");
const scope = globalThis as { [KEY]?: Map<string, DatasetFingerprint> };
scope[KEY] ??= new Map();
const recorded = scope[KEY];

/** Records a dataset read; reading the same path again replaces its entry (the latest content counts). */
export function recordDataset(fingerprint: DatasetFingerprint): void {
  const key = fingerprint.path ?? `name:${fingerprint.name}`;
  recorded.delete(key);
  recorded.set(key, { ...fingerprint, columns: [...fingerprint.columns] });
  if (recorded.size > MAX_FINGERPRINTS) recorded.delete(recorded.keys().next().value as string);
}

/** Every dataset recorded in this process, oldest first (copies). */
export function datasetFingerprints(): DatasetFingerprint[] {
  return [...recorded.values()].map((f) => ({ ...f, columns: [...f.columns] }));
}

/** Forgets every dataset recorded (a fresh start, e.g. between independent runs in one process). */
export function clearDatasetFingerprints(): void {
  recorded.clear();
}
