/**
 * An executed notebook made ready to save: what changes from one run to the next only
 * because of when or where it ran is taken out, so that a run that computes the same
 * things writes the same file.
 */

/** One output of a code cell, as nbformat 4 stores it. */
export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  transient?: unknown;
}

export interface NotebookCell {
  cell_type: string;
  id?: string;
  metadata: Record<string, unknown> & { tags?: string[] };
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface NotebookJson {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** A multi-line string as nbformat may store it: one string, or its lines. */
export const joined = (text: string | string[] | undefined): string => (Array.isArray(text) ? text.join("") : (text ?? ""));

const isJsonMime = (mime: string) => mime === "application/json" || mime.endsWith("+json");
/** The mime types nbformat writes as lines (base64 images stay one string). */
const isLineMime = (mime: string) => mime.startsWith("text/") || mime === "application/javascript" || mime === "image/svg+xml";

/**
 * A copy of `notebook` with execution counts 1, 2, 3… in cell order (an execute_result
 * carries its cell's), no per-cell `execution` timestamps, no transient display ids, and
 * each `folders` path (the temporary working folder the notebook ran in) replaced by ".".
 */
export function normaliseNotebook(notebook: NotebookJson, folders: readonly string[] = []): NotebookJson {
  const copy = structuredClone(notebook);
  const local = (text: string) => folders.reduce((t, folder) => t.split(folder).join("."), text);
  let count = 0;
  for (const cell of copy.cells) {
    delete cell.metadata.execution;
    cell.source = joined(cell.source);
    if (cell.cell_type !== "code") continue;
    const ran = cell.execution_count != null;
    cell.execution_count = ran ? ++count : null;
    for (const output of cell.outputs ?? []) {
      delete output.transient;
      if (output.output_type === "execute_result") output.execution_count = cell.execution_count;
      if (output.text !== undefined) output.text = local(joined(output.text));
      if (output.evalue !== undefined) output.evalue = local(output.evalue);
      if (output.traceback) output.traceback = output.traceback.map(local);
      for (const [mime, value] of Object.entries(output.data ?? {}))
        output.data![mime] = isJsonMime(mime) ? JSON.parse(local(JSON.stringify(value))) : local(joined(value as string | string[]));
    }
  }
  return copy;
}

/** Lines, each keeping its "\n", as nbformat writes multi-line strings. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Keys sorted at every level, as nbformat writes them. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/** The file text of `notebook` in nbformat's own layout (sorted keys, one-space indent, strings as lines). */
export function serialiseNotebook(notebook: NotebookJson): string {
  const copy = structuredClone(notebook);
  for (const cell of copy.cells) {
    cell.source = lines(joined(cell.source));
    for (const output of cell.outputs ?? []) {
      if (output.text !== undefined) output.text = lines(joined(output.text));
      for (const [mime, value] of Object.entries(output.data ?? {}))
        if (isLineMime(mime) && typeof value === "string") output.data![mime] = lines(value);
    }
  }
  return `${JSON.stringify(sortedKeys(copy), null, 1)}\n`;
}
