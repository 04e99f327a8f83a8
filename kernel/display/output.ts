/**
 * Where rich output goes. Inside the tunebook kernel, `display` sends a Jupyter
 * display_data message (every representation of one value in one mime bundle) and
 * a `DisplayHandle` updates its output in place (update_display_data). Anywhere
 * else (a plain Node script) the text/plain representation is printed instead.
 */

/** Representations of one value by mime type; `text/plain` is always there. */
export interface MimeBundle {
  "text/plain": string;
  [mime: string]: unknown;
}

/** Sends one bundle to the frontend; `displayId` ties updates to the first output. */
export type Publisher = (bundle: MimeBundle, options: { displayId?: string; update: boolean }) => void;

let publisher: Publisher | null = null;

/** Set by the kernel when it starts; `null` turns rich output back into printing. */
export function setPublisher(next: Publisher | null): void {
  publisher = next;
}

/** True inside a kernel that renders mime bundles. */
export function canDisplayRich(): boolean {
  return publisher !== null;
}

/** Shows a bundle as a new output. */
export function display(bundle: MimeBundle): void {
  if (publisher) publisher(bundle, { update: false });
  else console.log(bundle["text/plain"]);
}

/** One output that can be replaced in place, e.g. a progress line. */
export interface DisplayHandle {
  /** Replaces the output (the first call creates it). Outside a kernel only `final` updates print. */
  update(bundle: MimeBundle, options?: { final?: boolean }): void;
}

let nextId = 0;

export function newDisplay(): DisplayHandle {
  const displayId = `tunebook-${process.pid}-${Date.now().toString(36)}-${(nextId++).toString(36)}`;
  let shown = false;
  return {
    update(bundle, options = {}) {
      if (publisher) {
        publisher(bundle, { displayId, update: shown });
        shown = true;
      } else if (options.final) {
        console.log(bundle["text/plain"]);
      }
    },
  };
}
