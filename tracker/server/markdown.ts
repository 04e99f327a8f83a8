/**
 * A small Markdown renderer for notes, safe by construction: every character of the note is
 * HTML-escaped first, so no tag or attribute of the note's own survives; the only markup in
 * the output is what this renderer writes. It knows headings, paragraphs, emphasis, inline
 * code, fenced code, lists, links and autolinks. A link's target must be http:, https:,
 * mailto: or relative; any other (javascript:, data:, vbscript:, however written with
 * entities, case or control characters) leaves the link as plain text.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `text` with the five characters that mean something in HTML escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Notes longer than this are cut (with a mark) before rendering. */
const MAX_RENDERED = 100_000;

/** The HTML of a Markdown note. */
export function renderMarkdown(markdown: string): string {
  // U+E000 (private use) marks placeholders below, so the note's own are replaced.
  let source = markdown.replace(/\r\n?/g, "\n").replace(/\uE000/g, "\uFFFD");
  if (source.length > MAX_RENDERED) source = `${source.slice(0, MAX_RENDERED)}…`;
  const lines = escapeHtml(source).split("\n");
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;

  const flushParagraph = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join("\n"))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) {
      const tag = list.ordered ? "ol" : "ul";
      out.push(`<${tag}>${list.items.map((item) => `<li>${inline(item)}</li>`).join("")}</${tag}>`);
    }
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^ {0,3}(```|~~~)/.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) code.push(lines[i]);
      out.push(`<pre><code>${code.join("\n")}</code></pre>`);
      continue;
    }
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
      continue;
    }
    const item = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/.exec(line);
    if (item) {
      flushParagraph();
      const ordered = item[2] !== undefined;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push(item[3]);
      continue;
    }
    if (line.trim() === "") {
      flushParagraph();
      flushList();
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += `\n${line.trim()}`;
      continue;
    }
    flushList();
    paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return out.join("\n");
}

/**
 * Inline markup of escaped text: code spans, links and autolinks are set aside as
 * placeholders (so nothing inside them is read again), then emphasis, then they go back.
 */
function inline(text: string): string {
  const held: string[] = [];
  const hold = (html: string) => `\uE000${held.push(html) - 1}\uE000`;
  let s = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, __, code: string) => hold(`<code>${code.trim() || code}</code>`));
  s = s.replace(/\[([^[\]\uE000]*)\]\(\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\s*\)/g, (whole, label: string, url: string) => {
    const href = safeUrl(url);
    return href === null ? whole : hold(`<a href="${href}" rel="noopener noreferrer nofollow">${emphasis(label)}</a>`);
  });
  s = s.replace(/&lt;((?:https?:\/\/|mailto:)[^\s\uE000]*?)&gt;/gi, (whole, url: string) => {
    const href = safeUrl(url);
    return href === null ? whole : hold(`<a href="${href}" rel="noopener noreferrer nofollow">${url}</a>`);
  });
  s = s.replace(/\bhttps?:\/\/[^\s\uE000<>]*[^\s\uE000<>.,;:!?)]/gi, (url: string) => {
    // An escaped character at the end (&quot;, &#39;) belongs to the sentence, not the address.
    const tail = /(&quot;|&#39;|&gt;|&lt;)+$/.exec(url)?.[0] ?? "";
    const bare = url.slice(0, url.length - tail.length);
    const href = safeUrl(bare);
    return href === null ? url : hold(`<a href="${href}" rel="noopener noreferrer nofollow">${bare}</a>`) + tail;
  });
  s = emphasis(s);
  return s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => held[Number(i)]);
}

function emphasis(text: string): string {
  return text
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/__(?=\S)([\s\S]*?\S)__(?![A-Za-z0-9])/g, "<strong>$1</strong>")
    .replace(/\*(?=\S)([^*]*?\S)\*/g, "<em>$1</em>")
    .replace(/(^|[^A-Za-z0-9_])_(?=\S)([^_]*?\S)_(?![A-Za-z0-9_])/g, "$1<em>$2</em>");
}

/**
 * The URL (escaped, as found in the escaped note) when it may be a link target, else null:
 * http:, https:, mailto: or relative, judged after undoing every escape and entity and
 * dropping the control characters and spaces a browser would ignore.
 */
export function safeUrl(escaped: string): string | null {
  if (escaped === "") return null;
  const decoded = decodeEntities(decodeEntities(escaped));
  const squeezed = [...decoded].filter((c) => !ignoredInUrls(c.codePointAt(0)!)).join("");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(squeezed);
  if (scheme) return /^(https?|mailto)$/i.test(scheme[1]) ? escaped : null;
  // Relative: no scheme, and nothing a browser would read as one (a colon before any / ? #).
  if (/^[^/?#]*:/.test(squeezed) || squeezed.startsWith("\\")) return null;
  return escaped;
}

/** Characters a browser drops or skips inside a URL's scheme: controls, spaces and invisible formatting marks. */
function ignoredInUrls(code: number): boolean {
  return (
    code <= 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0xad ||
    (code >= 0x200b && code <= 0x200f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff
  );
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n", sol: "/" };

/** Numeric and common named character references decoded, with or without their semicolon. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    const named = NAMED[ref.toLowerCase()];
    return named ?? whole;
  });
}
