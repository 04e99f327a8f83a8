/**
 * The source of the notebook cell that is running, when it is a `%%tune` cell: the kernel
 * sets it before the cell runs, and a study created or continued by the cell keeps it in
 * its provenance. Null outside a notebook. Kept on `globalThis` under a registered symbol,
 * so the kernel and the tunebook a cell imports share it even when they are two copies of
 * this module (one loaded as ES module, one through `require`).
 */
const KEY = Symbol.for("tunebook.runningCell");
const scope = globalThis as { [KEY]?: string | null };

/** Sets (or, with null, clears) the running `%%tune` cell's source. */
export function setRunningCell(source: string | null): void {
  scope[KEY] = source;
}

/** The running `%%tune` cell's source, or null. */
export function runningCell(): string | null {
  return scope[KEY] ?? null;
}
