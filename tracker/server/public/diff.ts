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
      : h("p", { id: "diff-headlines" }, "Nothing recorded differs in the code, data, versions or search space."),
    ...data.diff.sections.map((section) =>
      h(
        "section",
        { className: "diff-section", dataset: { section: section.name } },
        h("h2", null, section.name[0].toUpperCase() + section.name.slice(1)),
        section.identical
          ? h("p", { className: "muted identical" }, "identical")
          : h(
              "table",
              { className: "diff" },
              h("thead", null, h("tr", null, h("th", null, "field"), h("th", null, data.a.name), h("th", null, data.b.name))),
              h(
                "tbody",
                null,
                ...section.rows.map((row) =>
                  h(
                    "tr",
                    { dataset: { field: row.field } },
                    h("th", null, row.field),
                    h("td", null, row.a ?? "—"),
                    h("td", null, row.b ?? "—"),
                  ),
                ),
              ),
            ),
      ),
    ),
  );
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
