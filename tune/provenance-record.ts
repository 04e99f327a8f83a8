/**
 * The provenance record as stored in the study system attribute `tunebook:provenance`: its
 * types, how a new capture joins it, and how it is read back. Plain data, no Node APIs, so the
 * tracker's pages share the types.
 */
import type { DatasetFingerprint } from "../core/dataset-fingerprints.js";
import { isPlainObject } from "../core/json.js";
import { type JsonValue, SYSTEM_ATTR } from "../core/records.js";

/** The format of the stored attribute; bumped when its shape changes. */
export const PROVENANCE_VERSION = 1;
/** Earlier captures kept besides the latest (the most recent first). */
export const MAX_EARLIER_CAPTURES = 20;

/** The state of the working directory's git repository; every field null outside one (or without git). */
export interface GitState {
  /** The commit checked out (`git rev-parse HEAD`). */
  commit: string | null;
  /** Whether tracked files differ from that commit (untracked files do not count). */
  dirty: boolean | null;
  /** sha256 of `git diff HEAD` when dirty: two runs on the same uncommitted changes share it. */
  diffSha256: string | null;
}

/** One capture: what produced the trials run from that moment. */
export interface ProvenanceCapture {
  /** ISO time of the capture. */
  capturedAt: string;
  /** Identifies the run (the process and the worker processes it starts): one run keeps one capture. */
  run: string;
  /** The working directory. */
  cwd: string;
  git: GitState;
  /** `process.version`. */
  node: string;
  /** Versions by package name: `tunebook` and each of `TRACKED_PACKAGES` (null when not installed). */
  packages: Record<string, string | null>;
  os: { platform: string; release: string; arch: string };
  cpu: { model: string; count: number };
  /** The seed the study's sampler was built with, when one was given. */
  seed: number | null;
  /** The datasets this process read before the capture. */
  datasets: DatasetFingerprint[];
  /** The `%%tune` cell's source, in a notebook. */
  cell: string | null;
}

/** The stored attribute: the latest capture and earlier ones (most recent first, at most `MAX_EARLIER_CAPTURES`). */
export interface Provenance {
  version: number;
  latest: ProvenanceCapture;
  earlier: ProvenanceCapture[];
}

/**
 * The attribute after `capture`: a capture of the same run replaces the latest (a run captures
 * at creation and again when `optimize` starts, with the datasets read in between); another
 * run's pushes the latest onto the earlier ones.
 */
export function mergeProvenance(stored: Provenance | null, capture: ProvenanceCapture): Provenance {
  if (stored === null) return { version: PROVENANCE_VERSION, latest: capture, earlier: [] };
  const earlier = stored.latest.run === capture.run ? stored.earlier : [stored.latest, ...stored.earlier];
  return { version: PROVENANCE_VERSION, latest: capture, earlier: earlier.slice(0, MAX_EARLIER_CAPTURES) };
}

/** The provenance in a study's system attributes, or null when there is none (or it is not one tunebook wrote). */
export function readProvenance(systemAttrs: Record<string, JsonValue>): Provenance | null {
  const value = Object.hasOwn(systemAttrs, SYSTEM_ATTR.provenance) ? systemAttrs[SYSTEM_ATTR.provenance] : undefined;
  if (!isPlainObject(value) || typeof value.version !== "number" || !isCapture(value.latest)) return null;
  const earlier = Array.isArray(value.earlier) ? (value.earlier as unknown[]).filter(isCapture) : [];
  return { version: value.version, latest: value.latest, earlier };
}

function isCapture(value: unknown): value is ProvenanceCapture {
  return isPlainObject(value) && typeof value.run === "string" && isPlainObject(value.git) && isPlainObject(value.packages);
}
