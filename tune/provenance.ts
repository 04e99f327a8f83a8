/**
 * Where a study came from: the code (git commit, whether the tree was dirty and a hash of the
 * diff), the versions (Node, tunebook, the models' libraries), the machine, the sampler's seed,
 * the datasets read and, in a notebook, the `%%tune` cell. Captured when a study is created or
 * continued and when `optimize` starts, and kept in the study system attribute
 * `tunebook:provenance` (Optuna keeps it and ignores it): the latest capture and a bounded list
 * of earlier ones, so continuing a study on another commit or a dirty tree shows.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { datasetFingerprints } from "../core/dataset-fingerprints.js";
import { runningCell } from "../core/notebook-cell.js";
import { type JsonValue, SYSTEM_ATTR } from "../core/records.js";
import type { Storage } from "../tracker/storage/storage.js";
import { warn } from "./log.js";
import { type GitState, mergeProvenance, type ProvenanceCapture, readProvenance } from "./provenance-record.js";

export {
  type GitState,
  MAX_EARLIER_CAPTURES,
  mergeProvenance,
  PROVENANCE_VERSION,
  type Provenance,
  type ProvenanceCapture,
  readProvenance,
} from "./provenance-record.js";

/** Libraries whose versions are recorded when installed (read from their package.json, never imported). */
export const TRACKED_PACKAGES = ["@tensorflow/tfjs", "ml-matrix", "danfojs-node", "better-sqlite3"] as const;
/** A git command slower than this is given up on (its fields are then null). */
const GIT_TIMEOUT_MS = 3000;

/** This run's id, shared with the worker processes it starts (they inherit the environment). */
const RUN_ENV = "TUNEBOOK_PROVENANCE_RUN";
const thisRun = process.env[RUN_ENV] || randomUUID();
process.env[RUN_ENV] = thisRun;

/** The git state of the repository holding `cwd`; nulls when there is none, never an error. */
export function gitState(cwd: string = process.cwd()): GitState {
  const git = (...args: string[]): Buffer | null => {
    try {
      return execFileSync("git", args, { cwd, timeout: GIT_TIMEOUT_MS, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 * 1024 * 1024 });
    } catch {
      return null;
    }
  };
  const head = git("rev-parse", "--verify", "HEAD");
  if (head === null) return { commit: null, dirty: null, diffSha256: null };
  const status = git("status", "--porcelain", "--untracked-files=no");
  const dirty = status === null ? null : status.length > 0;
  const diff = dirty ? git("diff", "HEAD", "--no-ext-diff", "--no-color") : null;
  return {
    commit: head.toString("utf8").trim(),
    dirty,
    diffSha256: diff === null ? null : createHash("sha256").update(diff).digest("hex"),
  };
}

/** Git state per directory, re-read at most once a second: `optimize` in a loop would run git for every call. */
const gitCache = new Map<string, { at: number; state: GitState }>();
function recentGitState(cwd: string): GitState {
  const cached = gitCache.get(cwd);
  if (cached && Date.now() - cached.at < 1000) return cached.state;
  const state = gitState(cwd);
  gitCache.set(cwd, { at: Date.now(), state });
  return state;
}

export interface CaptureOptions {
  /** The sampler's seed (default: none). */
  seed?: number | null;
  /** Working directory whose repository is read (default `process.cwd()`). */
  cwd?: string;
  /** The run's id (default: this process's). */
  run?: string;
}

/** What produced a study's trials, now. Never throws for a missing git, repository or package. */
export function captureProvenance(options: CaptureOptions = {}): ProvenanceCapture {
  const cwd = options.cwd ?? process.cwd();
  const cpus = os.cpus();
  return {
    capturedAt: new Date().toISOString(),
    run: options.run ?? thisRun,
    cwd,
    git: options.cwd === undefined ? recentGitState(cwd) : gitState(cwd),
    node: process.version,
    packages: packageVersions(cwd),
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
    cpu: { model: cpus[0]?.model.trim() ?? "unknown", count: cpus.length },
    seed: options.seed ?? null,
    datasets: datasetFingerprints(),
    cell: runningCell(),
  };
}

/** What was last written per storage and study in this process, so an unchanged capture is not written again. */
const written = new WeakMap<Storage, Map<number, string>>();

/** Stores `capture` in the study's provenance, keeping the earlier runs' captures. */
export async function recordProvenance(storage: Storage, studyId: number, capture: ProvenanceCapture): Promise<void> {
  const { capturedAt: _, ...content } = capture;
  const key = JSON.stringify(content);
  const seen = written.get(storage) ?? new Map<number, string>();
  written.set(storage, seen);
  if (seen.get(studyId) === key) return;
  const summary = await storage.getStudy(studyId);
  const merged = mergeProvenance(readProvenance(summary.systemAttrs), capture);
  await storage.setStudySystemAttr(studyId, SYSTEM_ATTR.provenance, merged as unknown as JsonValue);
  seen.set(studyId, key);
}

/**
 * Captures and records a study's provenance; a failure (a storage that refuses the write)
 * is a warning, never the end of the run.
 */
export async function noteProvenance(storage: Storage, studyId: number, seed: number | undefined): Promise<void> {
  try {
    await recordProvenance(storage, studyId, captureProvenance({ seed: seed ?? null }));
  } catch (error) {
    warn(`the study's provenance (code, data and versions) could not be recorded: ${(error as Error).message}`);
  }
}

let ownVersion: string | null | undefined;

/** Installed versions of tunebook and of `TRACKED_PACKAGES`, looked up from this package and from `cwd`. */
function packageVersions(cwd: string): Record<string, string | null> {
  ownVersion ??= tunebookVersion();
  const versions: Record<string, string | null> = { tunebook: ownVersion };
  const here = createRequire(import.meta.url);
  const there = createRequire(join(cwd, "noop.js"));
  for (const name of TRACKED_PACKAGES) versions[name] = installedVersion(name, here) ?? installedVersion(name, there);
  return versions;
}

function installedVersion(name: string, require: NodeJS.Require): string | null {
  for (const folder of require.resolve.paths(name) ?? []) {
    const manifest = join(folder, name, "package.json");
    if (!existsSync(manifest)) continue;
    try {
      const version = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version;
      return typeof version === "string" ? version : null;
    } catch {
      return null;
    }
  }
  return null;
}

function tunebookVersion(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown; version?: unknown };
        if (parsed.name === "tunebook") return typeof parsed.version === "string" ? parsed.version : null;
      } catch {
        // not a readable manifest: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
