/**
 * Notes, tags and provenance on the pages. A note arrives as HTML the server rendered from
 * Markdown with every character of the note escaped (tracker/server/markdown.ts); it is
 * parsed here into inert nodes and checked once more (only the renderer's elements, only
 * http(s), mailto and relative links) before it joins the page.
 */
import type { Provenance, ProvenanceCapture } from "../../../tune/provenance-record.js";
import type { StudyJson } from "../types.js";
import { append, h } from "./common.js";

const ALLOWED = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "STRONG", "EM", "CODE", "PRE", "UL", "OL", "LI", "A"]);

/** The note's rendered HTML as an element (`div.note`), or null without a note. */
export function noteElement(html: string | null, id: string): HTMLElement | null {
  if (html === null) return null;
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  const box = h("div", { className: "note", id });
  box.append(
    ...Array.from(parsed.childNodes)
      .map(clean)
      .filter((n): n is Node => n !== null),
  );
  return box;
}

/** A copy of `node` keeping only the renderer's elements and safe links; anything else becomes its text. */
function clean(node: Node): Node | null {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent ?? "");
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  if (!ALLOWED.has(el.tagName)) return document.createTextNode(el.textContent ?? "");
  const copy = document.createElement(el.tagName.toLowerCase());
  if (el.tagName === "A") {
    const href = el.getAttribute("href") ?? "";
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href.replace(/[^\x21-\x7e]/g, ""));
    if (scheme && !/^(https?|mailto)$/i.test(scheme[1])) return document.createTextNode(el.textContent ?? "");
    copy.setAttribute("href", href);
    copy.setAttribute("rel", "noopener noreferrer nofollow");
  }
  for (const child of Array.from(el.childNodes)) {
    const c = clean(child);
    if (c) copy.appendChild(c);
  }
  return copy;
}

/** Tags as chips, each a link to the studies list filtered by it. */
export function tagChips(tags: readonly string[]): HTMLElement | null {
  if (tags.length === 0) return null;
  return h(
    "span",
    { className: "tags" },
    ...tags.map((tag) =>
      h("a", { className: "tag", href: `/?tag=${encodeURIComponent(tag)}`, title: `studies tagged ${tag}`, dataset: { tag } }, tag),
    ),
  );
}

/** A hash cut to 12 characters, as git shortens commits. */
export function shortHash(hash: string | null): string {
  return hash === null ? "—" : hash.slice(0, 12);
}

/** The provenance panel: collapsible, its summary one line (commit, dirty tree, runs, datasets), the latest capture inside. */
export function provenancePanel(provenance: Provenance | null): HTMLElement {
  const details = h("details", { className: "provenance", id: "provenance" });
  if (provenance === null) {
    append(
      details,
      h("summary", null, h("b", null, "Provenance"), " ", h("span", { className: "muted" }, "none recorded")),
      h("p", { className: "muted" }, "No provenance recorded (a study written by another tool, or by an older tunebook)."),
    );
    return details;
  }
  const c = provenance.latest;
  const runs = provenance.earlier.length + 1;
  const dirtyRuns = [c, ...provenance.earlier].filter((r) => r.git.dirty === true).length;
  const datasets = c.datasets.length;
  append(
    details,
    h(
      "summary",
      null,
      h("b", null, "Provenance"),
      " ",
      commitNode(c, "provenance-commit"),
      h(
        "span",
        { className: "muted" },
        ` · ${runs} run${runs === 1 ? "" : "s"}${dirtyRuns > 0 && runs > 1 ? ` (${dirtyRuns} on a dirty tree)` : ""}`,
        ` · ${datasets} dataset${datasets === 1 ? "" : "s"}`,
        c.seed === null ? "" : ` · seed ${c.seed}`,
      ),
    ),
    h(
      "div",
      { className: "provenance-body" },
      h(
        "table",
        { className: "facts-table provenance-facts" },
        h(
          "tbody",
          null,
          row("commit", commitNode(c)),
          c.git.diffSha256 ? row("diff sha256", h("code", { title: c.git.diffSha256 }, shortHash(c.git.diffSha256))) : null,
          row("captured", new Date(c.capturedAt).toLocaleString()),
          row("directory", h("code", null, c.cwd)),
          row("node", c.node),
          row(
            "packages",
            Object.entries(c.packages)
              .filter(([, v]) => v !== null)
              .map(([k, v]) => `${k} ${v}`)
              .join(", "),
          ),
          row("machine", `${c.os.platform} ${c.os.release} ${c.os.arch}; ${c.cpu.count} × ${c.cpu.model}`),
          row("seed", c.seed === null ? "—" : String(c.seed)),
        ),
      ),
      datasetsTable(c),
    ),
    c.cell === null
      ? null
      : h("div", { className: "provenance-cell" }, h("b", null, "%%tune cell"), h("pre", { id: "provenance-cell" }, c.cell)),
    provenance.earlier.length
      ? h(
          "p",
          { className: "muted earlier-runs" },
          "Earlier runs: ",
          ...provenance.earlier.flatMap((r, i) => [i > 0 ? "; " : "", `${new Date(r.capturedAt).toLocaleString()} on `, commitNode(r)]),
        )
      : null,
  );
  return details;
}

/** The commit cut short (the full hash on hover) and a marker when the tree was dirty; or "not in a git repository". */
function commitNode(c: ProvenanceCapture, id?: string): HTMLElement {
  if (c.git.commit === null) return h("span", { className: "commit muted", id }, "not in a git repository");
  return h(
    "span",
    { className: "commit" },
    h("code", { title: c.git.commit, id }, shortHash(c.git.commit)),
    c.git.dirty ? h("span", { className: "dirty", title: "uncommitted changes to tracked files when this ran" }, "dirty tree") : null,
  );
}

function row(label: string, value: string | HTMLElement): HTMLElement {
  return h("tr", null, h("th", null, label), h("td", null, value));
}

function datasetsTable(c: ProvenanceCapture): HTMLElement {
  if (c.datasets.length === 0) return h("p", { className: "muted" }, "No dataset read through tunebook before the run.");
  return h(
    "table",
    { id: "provenance-datasets" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", null, "dataset"),
        h("th", { className: "num" }, "rows"),
        h("th", { className: "num" }, "columns"),
        h("th", null, "sha256"),
      ),
    ),
    h(
      "tbody",
      null,
      ...c.datasets.map((d) =>
        h(
          "tr",
          null,
          h("td", { title: d.path ?? "" }, d.name),
          h("td", { className: "num" }, String(d.rows)),
          h("td", { className: "num", title: d.columns.join(", ") }, String(d.columns.length)),
          h("td", null, h("code", { title: d.sha256 }, shortHash(d.sha256))),
        ),
      ),
    ),
  );
}

/** What the study page shows under its facts: tags, the note and the provenance panel. */
export function studyMeta(study: StudyJson, noteHtml: string | null, provenance: Provenance | null, open: boolean): HTMLElement {
  const panel = provenancePanel(provenance);
  (panel as HTMLDetailsElement).open = open;
  return h(
    "div",
    { id: "study-meta" },
    study.tags.length ? h("p", { id: "study-tags" }, h("b", null, "tags: "), tagChips(study.tags)) : null,
    noteElement(noteHtml, "study-note"),
    panel,
  );
}
