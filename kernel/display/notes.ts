import type { JsonValue } from "../../core/records.js";
import { renderMarkdown } from "../../tracker/server/markdown.js";
import { noteOf, tagsOf } from "../../tune/notes.js";
import type { MimeBundle } from "./output.js";
import { escapeHtml } from "./table.js";

/**
 * A study's tags and note under its table in `show(study)`: the tags as a line of chips,
 * the note rendered from Markdown by the tracker's renderer (which escapes the note's own
 * HTML, so nothing in it runs in the notebook); in text/plain, a "tags:" line and the note
 * as written. The bundle as it was when the study has neither.
 */
export function withNotes(bundle: MimeBundle, systemAttrs: Record<string, JsonValue>): MimeBundle {
  const tags = tagsOf(systemAttrs);
  const note = noteOf(systemAttrs);
  if (tags.length === 0 && note === null) return bundle;
  const text = [
    ...(tags.length > 0 ? [`tags: ${tags.join(", ")}`] : []),
    ...(note !== null
      ? [
          "note:",
          ...note
            .replace(/\r\n?/g, "\n")
            .split("\n")
            .map((line) => `  ${line}`.trimEnd()),
        ]
      : []),
  ];
  const html = [
    ...(tags.length > 0 ? [`<p class="tunebook-tags" style="margin:0.4em 0">${tags.map(chip).join(" ")}</p>`] : []),
    ...(note !== null ? [`<div class="tunebook-note" style="${NOTE_STYLE}">${renderMarkdown(note)}</div>`] : []),
  ];
  const plain = bundle["text/plain"];
  const rich = bundle["text/html"];
  return {
    ...bundle,
    "text/plain": `${plain}\n${text.join("\n")}`,
    ...(typeof rich === "string" ? { "text/html": `${rich}\n${html.join("\n")}` } : {}),
  };
}

const CHIP_STYLE = "display:inline-block;padding:0 0.5em;border:1px solid #bbb;border-radius:0.8em;font-size:0.9em;background:#f4f4f4";
const NOTE_STYLE = "margin:0.4em 0;padding:0 0.8em;border-left:3px solid #bbb";

function chip(tag: string): string {
  return `<span class="tunebook-tag" style="${CHIP_STYLE}">${escapeHtml(tag)}</span>`;
}
