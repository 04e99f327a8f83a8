/**
 * Two studies side by side (`/diff?a=<id>&b=<id>`): the differences that most often explain
 * different results first, then each section — search space, engine, directions, code,
 * versions, machine, data, notebook cell — as a table of the fields that differ, or
 * "identical". Without `b`, a list of studies to diff `a` with, its experiment's first.
 */
import type { DiffResponse, StudiesResponse, StudyJson } from "../types.js";
import { errorBox, getJson, h, main, replace } from "./common.js";

const params = new URLSearchParams(location.search);
const a = params.get("a");
const b = params.get("b");

async function start(): Promise<void> {
  if (a === null || !/^\d+$/.test(a)) {
    replace(
      main(),
      h("h1", null, "Diff two studies"),
      h("p", null, "Open a study and follow its “diff with…” link, or give /diff?a=<id>&b=<id>."),
    );
    return;
  }
  if (b === null) return picker(Number(a));
  const data = await getJson<DiffResponse>(`/api/diff?a=${a}&b=${encodeURIComponent(b)}`);
  document.title = `${data.a.name} vs ${data.b.name} · tunebook`;
  replace(
    main(),
    h(
      "h1",
      null,
      "Diff: ",
      h("a", { href: `/studies/${data.a.id}` }, data.a.name),
      " vs ",
      h("a", { href: `/studies/${data.b.id}` }, data.b.name),
    ),
    data.diff.headlines.length
      ? h("ul", { id: "diff-headlines", className: "headlines" }, ...data.diff.headlines.map((line) => h("li", null, line)))
      : h(
          "p",
          { id: "diff-headlines", className: "headlines same" },
          "Nothing recorded differs in the code, data, versions or search space.",
        ),
    ...data.diff.sections.map((section) =>
      h(
        "section",
        { className: section.identical ? "diff-section same" : "diff-section", dataset: { section: section.name } },
        h("h2", null, section.name[0].toUpperCase() + section.name.slice(1)),
        section.identical
          ? h("span", { className: "identical" }, "identical")
          : h(
              "table",
              { className: "diff" },
              h("thead", null, h("tr", null, h("th", null, "field"), h("th", null, "A: ", data.a.name), h("th", null, "B: ", data.b.name))),
              h(
                "tbody",
                null,
                ...section.rows.map((row) => {
                  const [a, b] = marked(row.a, row.b);
                  return h("tr", { dataset: { field: row.field } }, h("th", null, row.field), h("td", null, ...a), h("td", null, ...b));
                }),
              ),
            ),
      ),
    ),
  );
}

/**
 * The two values with the words that differ marked: the words they share (their longest common
 * run of words, in order) stay plain, so a changed count or hash stands out in a long line.
 * A missing value is "—".
 */
function marked(a: string | null, b: string | null): [Node[], Node[]] {
  if (a === null || b === null) return [valueNodes(a, null, "a"), valueNodes(b, null, "b")];
  const ta = words(a);
  const tb = words(b);
  // Past this size (a long notebook cell) the table costs more than it helps: both are marked whole.
  if (ta.length * tb.length > 250_000)
    return [
      valueNodes(
        a,
        ta.map(() => false),
        "a",
      ),
      valueNodes(
        b,
        tb.map(() => false),
        "b",
      ),
    ];
  const [ka, kb] = common(ta, tb);
  return [valueNodes(a, ka, "a", ta), valueNodes(b, kb, "b", tb)];
}

/** Words and the separators between them, in order (joined they give the text back). */
function words(text: string): string[] {
  return text.split(/([\s,;:()×]+)/).filter((t) => t !== "");
}

/** Which words of each list belong to a longest common subsequence of the two. */
function common(a: readonly string[], b: readonly string[]): [boolean[], boolean[]] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const ka = a.map(() => false);
  const kb = b.map(() => false);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      ka[i++] = true;
      kb[j++] = true;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) i++;
    else j++;
  }
  return [ka, kb];
}

/** The value as text with its words outside `kept` marked (runs of them in one mark); "—" when missing. */
function valueNodes(text: string | null, kept: boolean[] | null, side: "a" | "b", tokens: string[] = []): Node[] {
  if (text === null) return [h("span", { className: "muted" }, "—")];
  if (kept === null) return [document.createTextNode(text)];
  const nodes: Node[] = [];
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    // A separator between two marked words joins their mark.
    while (j < tokens.length && (kept[j] === kept[i] || (kept[i] === false && isSeparator(tokens[j]) && kept[j + 1] === false))) j++;
    const piece = tokens.slice(i, j).join("");
    nodes.push(kept[i] ? document.createTextNode(piece) : h("mark", { className: side }, piece));
    i = j;
  }
  return nodes;
}

function isSeparator(token: string): boolean {
  return /^[\s,;:()×]+$/.test(token);
}

/** The studies to diff study `id` with: its experiment's first. */
async function picker(id: number): Promise<void> {
  const data = await getJson<StudiesResponse>("/api/studies");
  const studies = data.experiments.flatMap((g) => g.studies);
  const self = studies.find((s) => s.id === id);
  if (!self) throw new Error(`No study with id ${id}.`);
  const others = studies.filter((s) => s.id !== id);
  const same = others.filter((s) => s.experiment !== null && s.experiment === self.experiment);
  const rest = others.filter((s) => !same.includes(s));
  const links = (list: StudyJson[]) =>
    h("ul", { className: "diff-picker" }, ...list.map((s) => h("li", null, h("a", { href: `/diff?a=${id}&b=${s.id}` }, s.name))));
  document.title = `Diff ${self.name} with… · tunebook`;
  replace(
    main(),
    h("h1", null, "Diff ", h("a", { href: `/studies/${id}` }, self.name), " with…"),
    same.length ? h("section", null, h("h2", null, `Experiment: ${self.experiment}`), links(same)) : null,
    rest.length ? h("section", null, h("h2", null, same.length ? "Other studies" : "Studies"), links(rest)) : null,
    others.length === 0 ? h("p", null, "There is no other study to diff it with.") : null,
  );
}

start().catch((error) => replace(main(), errorBox(error)));
