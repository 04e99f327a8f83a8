/**
 * Files kept with a trial, in the layout of Optuna's `FileSystemArtifactStore`:
 * the file is `<base>/<artifact id>` (a random UUID), and the trial gets the
 * system attribute `artifacts:<artifact id>` whose value is the JSON text of
 * `{ artifact_id, filename, mimetype, encoding }`, as Optuna's `upload_artifact`
 * writes it. The base folder sits next to an SQLite database (`/dir/x.db` →
 * `/dir/x.db.artifacts/`); for other storages it is given (`artifacts`) or
 * `$TUNEBOOK_ARTIFACTS`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { NotFoundError, show, ValueError } from "../core/errors.js";
import { ARTIFACT_ATTR_PREFIX, type JsonValue, type TrialRecord } from "../core/records.js";
import type { Storage } from "../tracker/storage/storage.js";

/** What Optuna's `ArtifactMeta` holds, in camelCase. */
export interface ArtifactMeta {
  artifactId: string;
  /** The uploaded file's name, without its folder. */
  filename: string;
  mimetype: string;
  /** A Content-Encoding such as "gzip", or null. */
  encoding: string | null;
}

export interface ArtifactOptions {
  /** The artifact folder. Default: `<database>.artifacts` next to an SQLite database, else `$TUNEBOOK_ARTIFACTS`. */
  artifacts?: string;
}

export interface UploadOptions extends ArtifactOptions {
  /** Default: from the file's extension (as Python's `mimetypes`), else "application/octet-stream". */
  mimetype?: string;
  /** Default: "gzip" for .gz, "bzip2" for .bz2, "xz" for .xz, else null. */
  encoding?: string | null;
}

/** The environment variable naming the artifact folder of storages that are not SQLite files. */
export const ARTIFACTS_ENV = "TUNEBOOK_ARTIFACTS";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `id` has the form of an artifact id (a lowercase UUID): the only names ever joined to the folder. */
export function isArtifactId(id: unknown): id is string {
  return typeof id === "string" && UUID.test(id);
}

/**
 * The artifact folder of a storage: `explicit`, else `<path>.artifacts` for an SQLite
 * file (`sqlite:/dir/x.db` → `/dir/x.db.artifacts`), else `$TUNEBOOK_ARTIFACTS`; a
 * ValueError when none applies.
 */
export function artifactDir(storageUrl: string, explicit?: string): string {
  if (explicit !== undefined) {
    if (typeof explicit !== "string" || explicit === "") throw new ValueError(`artifacts must be a folder path, got ${show(explicit)}.`);
    return explicit;
  }
  const sqlite = /^sqlite:(?!:memory:)(.+)$/.exec(storageUrl);
  if (sqlite) return `${sqlite[1]}.artifacts`;
  const env = process.env[ARTIFACTS_ENV];
  if (env) return env;
  throw new ValueError(
    `The storage ${storageUrl.replace(/\/\/[^@/]*@/, "//…@")} keeps no files; give an artifact folder with the artifacts option ` +
      `(or ${ARTIFACTS_ENV}=<folder>, or --artifacts <folder> for the UI).`,
  );
}

/** The artifacts a trial's system attributes describe, by filename; entries that are not Optuna's layout are skipped. */
export function artifactsOf(record: Pick<TrialRecord, "systemAttrs">): ArtifactMeta[] {
  const metas: ArtifactMeta[] = [];
  for (const [key, value] of Object.entries(record.systemAttrs)) {
    if (!key.startsWith(ARTIFACT_ATTR_PREFIX)) continue;
    const meta = parseMeta(value);
    if (meta && meta.artifactId === key.slice(ARTIFACT_ATTR_PREFIX.length)) metas.push(meta);
  }
  return metas.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

function parseMeta(value: JsonValue): ArtifactMeta | undefined {
  let parsed: unknown = value;
  // Optuna stores json.dumps(...) of the meta: a string holding JSON.
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const m = parsed as Record<string, unknown> | null;
  if (typeof m !== "object" || m === null || !isArtifactId(m.artifact_id) || typeof m.filename !== "string") return undefined;
  if (typeof m.mimetype !== "string" || !(m.encoding === null || typeof m.encoding === "string")) return undefined;
  return { artifactId: m.artifact_id, filename: m.filename, mimetype: m.mimetype, encoding: m.encoding };
}

/** The folder of artifact files: writes are durable (temp file in the same folder, fsync, rename). */
export class FileSystemArtifactStore {
  constructor(readonly basePath: string) {}

  /** The file of an artifact; a ValueError for an id that is not a UUID. */
  path(artifactId: string): string {
    if (!isArtifactId(artifactId)) throw new ValueError(`${show(artifactId)} is not an artifact id (a UUID).`);
    return join(this.basePath, artifactId);
  }

  /** Store bytes, or the file at a path (streamed), as `artifactId`. */
  async write(artifactId: string, source: Uint8Array | { path: string }): Promise<void> {
    const target = this.path(artifactId);
    await mkdir(this.basePath, { recursive: true });
    const temp = join(this.basePath, `.${artifactId}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      if (source instanceof Uint8Array) await writeFile(temp, source, { flag: "wx" });
      else await pipeline(createReadStream(source.path), createWriteStream(temp, { flags: "wx" }));
      await syncPath(temp, "r+");
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    await rename(temp, target);
    // The rename itself is durable once the folder is synced.
    await syncPath(this.basePath, "r");
  }

  async read(artifactId: string): Promise<Buffer> {
    try {
      return await readFile(this.path(artifactId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw missing(artifactId, this.basePath);
      throw error;
    }
  }

  /** The file's size in bytes, or null when it is missing. */
  async size(artifactId: string): Promise<number | null> {
    try {
      return (await stat(this.path(artifactId))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }
}

/** fsync a file or folder: its data (or entries) reach the disk. */
async function syncPath(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function missing(artifactId: string, basePath: string): NotFoundError {
  return new NotFoundError(`The artifact ${artifactId} has no file in ${basePath}; was the folder moved? Point artifacts at it.`);
}

/** The store of a storage (see `artifactDir`). */
export function artifactStore(storage: Pick<Storage, "url">, options: ArtifactOptions = {}): FileSystemArtifactStore {
  return new FileSystemArtifactStore(artifactDir(storage.url, options.artifacts));
}

/**
 * Store a file or bytes as an artifact of trial `trialId` and record it: the file is
 * written (durably) before the attribute, so an attribute always has its file.
 * A finished trial may still receive artifacts. Returns the meta, id included.
 */
export async function putArtifact(
  storage: Storage,
  trialId: number,
  source: Uint8Array | { path: string },
  meta: { filename: string; mimetype?: string; encoding?: string | null },
  options: ArtifactOptions = {},
): Promise<{ key: string; value: string; meta: ArtifactMeta }> {
  const store = artifactStore(storage, options);
  const artifactId = randomUUID();
  const guessed = guessType(meta.filename);
  const full: ArtifactMeta = {
    artifactId,
    filename: meta.filename,
    mimetype: meta.mimetype ?? guessed.mimetype,
    encoding: meta.encoding === undefined ? guessed.encoding : meta.encoding,
  };
  await store.write(artifactId, source);
  const key = `${ARTIFACT_ATTR_PREFIX}${artifactId}`;
  const value = JSON.stringify({ artifact_id: artifactId, filename: full.filename, mimetype: full.mimetype, encoding: full.encoding });
  await storage.setTrialSystemAttr(trialId, key, value);
  return { key, value, meta: full };
}

/** Upload the file at `path` (Optuna's `upload_artifact`); its name without the folder is kept. */
export async function uploadArtifact(
  storage: Storage,
  trialId: number,
  path: string,
  options: UploadOptions = {},
): Promise<{ key: string; value: string; meta: ArtifactMeta }> {
  if (typeof path !== "string" || path === "") throw new ValueError(`uploadArtifact: path must be a file path, got ${show(path)}.`);
  const info = await stat(path).catch(() => undefined);
  // A file, or anything that reads as one (a named pipe): not a folder.
  if (!info || info.isDirectory()) throw new ValueError(`uploadArtifact: ${show(path)} is not a file; give the path of the file to keep.`);
  const { artifacts, mimetype, encoding } = options;
  return putArtifact(storage, trialId, { path }, { filename: basename(path), mimetype, encoding }, { artifacts });
}

/** The prefix of the filename `saveModel` gives a model: `model-<kind>.json`. */
export const MODEL_FILENAME = /^model-([A-Za-z0-9]+)\.json$/;

/** A model's artifact: `model.toJSON()` as JSON text, named `model-<kind>.json`. */
export async function putModel(
  storage: Storage,
  trialId: number,
  model: { toJSON(): unknown },
  options: ArtifactOptions = {},
): Promise<{ key: string; value: string; meta: ArtifactMeta }> {
  if (typeof model?.toJSON !== "function") throw new ValueError(`saveModel: the model must have toJSON(), got ${show(model)}.`);
  const json = model.toJSON() as { kind?: unknown };
  const kind = typeof json?.kind === "string" && /^[A-Za-z0-9]+$/.test(json.kind) ? json.kind : "model";
  const bytes = Buffer.from(JSON.stringify(json), "utf8");
  const filename = `model-${kind}.json`;
  return putArtifact(storage, trialId, bytes, { filename, mimetype: "application/json", encoding: null }, options);
}

const MIME_TYPES: Record<string, string> = {
  json: "application/json",
  txt: "text/plain",
  csv: "text/csv",
  html: "text/html",
  md: "text/markdown",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  tar: "application/x-tar",
  zip: "application/zip",
};
const ENCODINGS: Record<string, string> = { gz: "gzip", bz2: "bzip2", xz: "xz" };

/** Python's `mimetypes.guess_type` for common names: "x.csv.gz" is text/csv in gzip. */
function guessType(filename: string): { mimetype: string; encoding: string | null } {
  const parts = filename.toLowerCase().split(".");
  let encoding: string | null = null;
  if (parts.length > 2 && Object.hasOwn(ENCODINGS, parts[parts.length - 1])) encoding = ENCODINGS[parts.pop()!];
  const ext = parts.length > 1 ? parts[parts.length - 1] : "";
  return { mimetype: Object.hasOwn(MIME_TYPES, ext) ? MIME_TYPES[ext] : "application/octet-stream", encoding };
}
