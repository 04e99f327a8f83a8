/** The studies page: every study, grouped by experiment, with a picker for comparing. */
import type { ExperimentGroup, StudiesResponse, StudyJson } from "../types.js";
import { dateText, errorBox, every, frontText, getJson, h, main, num, pollMs, replace } from "./common.js";

const selected = new Set<number>();
let lastBody = "";

async function load(): Promise<void> {
  const data = await getJson<StudiesResponse>("/api/studies");
  // Re-render only when something changed, so a selection in progress is not disturbed.
  const body = JSON.stringify(data);
  if (body === lastBody) return;
  lastBody = body;
  render(data);
}

function render(data: StudiesResponse): void {
  const app = main();
  document.title = "Studies · tunebook";
  const total = data.experiments.reduce((n, g) => n + g.studies.length, 0);
  const compareButton = h("button", { type: "button", id: "compare-selected", onclick: () => compareSelected() }, "Compare selected");
  replace(
    app,
    h("h1", null, "Studies"),
    h("p", { className: "muted" }, `${total} ${total === 1 ? "study" : "studies"} in `, h("code", null, data.storage)),
    total === 0 ? h("p", null, "No studies yet: run one (for instance `tunebook demo`) and this page fills in.") : null,
    total > 1
      ? h("p", null, compareButton, " ", h("span", { className: "muted", id: "compare-hint" }, "tick studies to compare them side by side"))
      : null,
    ...data.experiments.map(groupSection),
  );
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
