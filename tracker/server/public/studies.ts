/**
 * The studies page: every study, grouped by experiment, with a picker for comparing, and a
 * search (name, tag, experiment, best value: see study-search.ts) and tag filters kept in the
 * URL (`/?q=...&tag=...`), so a filtered list can be shared.
 */
import type { ExperimentGroup, StudiesResponse, StudyJson } from "../types.js";
import { dateText, errorBox, every, frontText, getJson, h, main, num, pollMs, replace } from "./common.js";
import { matchesSearch, parseSearch } from "./study-search.js";

const selected = new Set<number>();
let lastBody = "";
let lastData: StudiesResponse | null = null;
const url = new URLSearchParams(location.search);
let query = url.get("q") ?? "";
const tagFilter: string[] = url.getAll("tag").filter((t) => t !== "");
/** The search box and the list stay apart, so redrawing the list never disturbs typing. */
let list: HTMLElement | null = null;
let filters: HTMLElement | null = null;

async function load(): Promise<void> {
  const data = await getJson<StudiesResponse>("/api/studies");
  // Re-render only when something changed, so a selection in progress is not disturbed.
  const body = JSON.stringify(data);
  if (body === lastBody) return;
  lastBody = body;
  lastData = data;
  render(data);
}

function render(data: StudiesResponse): void {
  document.title = "Studies · tunebook";
  if (list === null) {
    list = h("div", { id: "studies-list" });
    filters = h("span", { id: "tag-filters" });
    const box = h("input", { type: "search", id: "study-search", value: query, title: "name, tag, experiment or best<0.1" });
    box.placeholder = "search: name, tag:x, experiment:x, best<0.1";
    box.addEventListener("input", () => {
      query = box.value;
      refilter();
    });
    replace(main(), h("h1", null, "Studies"), h("p", { className: "controls" }, box, filters), list);
  }
  const terms = parseSearch(query);
  const groups = data.experiments
    .map((g) => ({ ...g, studies: g.studies.filter((s) => matchesSearch(s, terms, tagFilter)) }))
    .filter((g) => g.studies.length > 0);
  const all = data.experiments.reduce((n, g) => n + g.studies.length, 0);
  const total = groups.reduce((n, g) => n + g.studies.length, 0);
  const compareButton = h("button", { type: "button", id: "compare-selected", onclick: () => compareSelected() }, "Compare selected");
  replace(
    filters!,
    ...tagFilter.map((tag) =>
      h(
        "button",
        { type: "button", className: "tag active", title: `remove the filter ${tag}`, dataset: { tag }, onclick: () => toggleTag(tag) },
        `${tag} ×`,
      ),
    ),
  );
  replace(
    list!,
    h(
      "p",
      { className: "muted", id: "studies-count" },
      `${total === all ? "" : `${total} of `}${all} ${all === 1 ? "study" : "studies"} in `,
      h("code", null, data.storage),
    ),
    all === 0 ? h("p", null, "No studies yet: run one (for instance `tunebook demo`) and this page fills in.") : null,
    all > 0 && total === 0 ? h("p", { id: "no-match" }, "No study matches the search.") : null,
    total > 1
      ? h("p", null, compareButton, " ", h("span", { className: "muted", id: "compare-hint" }, "tick studies to compare them side by side"))
      : null,
    ...groups.map(groupSection),
  );
}

/** Redraws the list for the current search and tags, and keeps both in the URL. */
function refilter(): void {
  const q = new URLSearchParams();
  if (query.trim() !== "") q.set("q", query);
  for (const tag of tagFilter) q.append("tag", tag);
  const search = q.toString();
  history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}`);
  if (lastData) render(lastData);
}

function toggleTag(tag: string): void {
  const i = tagFilter.indexOf(tag);
  if (i >= 0) tagFilter.splice(i, 1);
  else tagFilter.push(tag);
  refilter();
}

function groupSection(group: ExperimentGroup): HTMLElement {
  const title = group.experiment === null ? "Not in an experiment" : `Experiment: ${group.experiment}`;
  const ids = group.studies.map((s) => s.id).join(",");
  return h(
    "section",
    { className: "experiment" },
    h("h2", null, title),
    group.studies.length > 1
      ? h("p", null, h("a", { href: `/compare?studies=${ids}` }, `Compare these ${group.studies.length} studies`))
      : null,
    h(
      "table",
      { className: "studies" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ...[
            "",
            "study",
            "direction",
            "sampler",
            "complete",
            "pruned",
            "fail",
            "running",
            "waiting",
            "best value / hypervolume",
            "last activity",
            "tags",
          ].map((c, i) => h("th", { className: i >= 4 && i <= 9 ? "num" : "" }, c)),
        ),
      ),
      h("tbody", null, ...group.studies.map(studyRow)),
    ),
  );
}

function studyRow(s: StudyJson): HTMLElement {
  const box = h("input", {
    type: "checkbox",
    checked: selected.has(s.id),
    title: "select for comparison",
    onchange: (e) => ((e.target as HTMLInputElement).checked ? selected.add(s.id) : selected.delete(s.id)),
  });
  const n = (v: number) => h("td", { className: "num" }, String(v));
  return h(
    "tr",
    { dataset: { study: String(s.id) } },
    h("td", null, box),
    h("td", null, h("a", { href: `/studies/${s.id}` }, s.name)),
    h("td", null, s.directions.join(", ")),
    h("td", null, s.sampler ?? "—"),
    n(s.counts.COMPLETE),
    n(s.counts.PRUNED),
    n(s.counts.FAIL),
    n(s.counts.RUNNING),
    n(s.counts.WAITING),
    h(
      "td",
      {
        className: "num",
        title: s.pareto
          ? `Pareto front: ${frontText(s.pareto)}; hypervolume from the study's own reference point (the compare page takes one for all)`
          : "",
      },
      bestCell(s),
    ),
    h("td", null, dateText(s.lastActivity)),
    h(
      "td",
      { className: "tags" },
      ...s.tags.map((tag) =>
        h(
          "a",
          {
            className: tagFilter.includes(tag) ? "tag active" : "tag",
            href: `/?tag=${encodeURIComponent(tag)}`,
            title: `filter by the tag ${tag}`,
            dataset: { tag },
            onclick: (event) => {
              event.preventDefault();
              toggleTag(tag);
            },
          },
          tag,
        ),
      ),
    ),
  );
}

/** The best value, or with several objectives the hypervolume and the size of the front. */
function bestCell(s: StudyJson): string {
  if (s.pareto === null) return num(s.bestValue);
  const size = s.pareto.frontTrialNumbers.length;
  return s.pareto.hypervolume === null ? "—" : `HV ${num(s.pareto.hypervolume)} · front ${size}`;
}

function compareSelected(): void {
  if (selected.size < 2) {
    const hint = document.getElementById("compare-hint");
    if (hint) hint.textContent = "Tick at least two studies to compare.";
    return;
  }
  location.href = `/compare?studies=${[...selected].join(",")}`;
}

load().catch((error) => replace(main(), errorBox(error)));
every(pollMs() * 2, load);
