/**
 * The study page: facts and every chart the study offers (the server's `charts`, from
 * `kindsFor`), each fetched and drawn on its own. A study with several objectives gets its
 * Pareto front, hypervolume and importance per objective first, and a picker for the
 * objective the per-objective charts draw. While the study changes (trials running), the
 * page polls its version and redraws what moved; importance, the costliest to compute, at
 * most every few polls.
 */
import type { ChartResponse, ProvenanceResponse, StudyChartInfo, StudyChartKind, StudyJson, StudyResponse } from "../types.js";
import { chartBox, drawChart, showNote } from "./charts.js";
import { errorBox, every, getJson, h, main, pollMs, replace, studyFacts, studyIdFromPath, studyLinks } from "./common.js";
import { studyMeta } from "./provenance.js";

/** The page's order; kinds the server adds later go last. */
const ORDER: StudyChartKind[] = [
  "pareto-front",
  "hypervolume",
  "objective-importance",
  "history",
  "lockbox",
  "importance",
  "slice",
  "parallel",
  "contour",
  "edf",
  "intermediate",
  "train-validation-gap",
  "curves",
  "timeline",
  "convergence",
  "cluster-quality",
];
const WIDE = new Set<StudyChartKind>(["pareto-front", "slice", "parallel", "timeline"]);
/** Charts redrawn at most once per this many polls while the study runs. */
const COSTLY = new Set<StudyChartKind>(["importance", "objective-importance"]);
const IMPORTANCE_EVERY = 5;

const studyId = studyIdFromPath()!;
const boxes = new Map<StudyChartKind, { body: HTMLElement; caption: HTMLElement; title: string }>();
const drawnVersion = new Map<StudyChartKind, string>();
let charts: StudyChartInfo[] = [];
let facts: HTMLElement | null = null;
/** Tags, note and provenance, redrawn when the study changes. */
let meta: HTMLElement | null = null;
let status: HTMLElement | null = null;
let version = "";
let polls = 0;
let objective = initialObjective();

function initialObjective(): number {
  const raw = new URLSearchParams(location.search).get("objective");
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n >= 0 ? n : 0;
}

function rank(kind: StudyChartKind): number {
  const i = ORDER.indexOf(kind);
  return i < 0 ? ORDER.length : i;
}

async function start(): Promise<void> {
  const info = await getJson<StudyResponse>(`/api/studies/${studyId}`);
  document.title = `${info.study.name} · tunebook`;
  if (objective >= info.study.directions.length) objective = 0;
  charts = [...info.charts].sort((a, b) => rank(a.kind) - rank(b.kind));
  facts = factsOf(info.study);
  status = h("p", { className: "muted", id: "live-status" });
  const grid = h("div", { className: "charts" });
  for (const c of charts) {
    const { box, body, caption } = chartBox(c.title, { wide: WIDE.has(c.kind), name: c.kind });
    boxes.set(c.kind, { body, caption, title: c.title });
    grid.appendChild(box);
  }
  meta = await metaOf(info);
  const links = studyLinks(studyId);
  links.append(
    h(
      "a",
      { href: `/diff?a=${studyId}`, id: "diff-link", title: "what differs from another study: code, data, versions, search space" },
      "Diff with…",
    ),
  );
  replace(main(), h("h1", { id: "study-name" }, info.study.name), facts, meta, links, status, objectivePicker(info), grid);
  version = info.version;
  showStatus(info);
  await Promise.all(charts.map((c) => loadChart(c.kind)));
  // Signals the charts' first drawing is over (read by the browser tests and the benchmark).
  document.documentElement.dataset.chartsDone = "1";
}

async function metaOf(info: StudyResponse): Promise<HTMLElement> {
  const { provenance } = await getJson<ProvenanceResponse>(`/api/studies/${studyId}/provenance`);
  const open = (document.getElementById("provenance") as HTMLDetailsElement | null)?.open ?? false;
  return studyMeta(info.study, info.noteHtml, provenance, open);
}

/** The study's facts, and how often its locked test set was used. */
function factsOf(study: StudyJson): HTMLElement {
  const facts = studyFacts(study);
  if (study.testSet) facts.append(h("span", { id: "test-set" }, h("b", null, "test set: "), study.testSet.text));
  return facts;
}

/** With several objectives: which one the per-objective charts draw. */
function objectivePicker(info: StudyResponse): HTMLElement | null {
  if (info.study.directions.length < 2 || !charts.some((c) => c.perObjective)) return null;
  const select = h(
    "select",
    {
      id: "objective",
      onchange: () => {
        objective = Number(select.value);
        const q = new URLSearchParams(location.search);
        q.set("objective", String(objective));
        history.replaceState(null, "", `${location.pathname}?${q}`);
        for (const c of charts) if (c.perObjective) drawnVersion.delete(c.kind);
        void Promise.all(charts.filter((c) => c.perObjective).map((c) => loadChart(c.kind)));
      },
    },
    ...info.study.objectives.map((title, i) => h("option", { value: String(i) }, title)),
  );
  select.value = String(objective);
  return h(
    "p",
    { className: "controls" },
    h("label", null, "Objective drawn by the history, slice, parallel, contour and EDF charts: ", select),
  );
}

async function loadChart(kind: StudyChartKind): Promise<void> {
  const { body, caption, title } = boxes.get(kind)!;
  const perObjective = charts.find((c) => c.kind === kind)?.perObjective ?? false;
  try {
    const chart = await getJson<ChartResponse>(`/api/studies/${studyId}/charts/${kind}${perObjective ? `?objective=${objective}` : ""}`);
    const drawn = `${chart.version}/${chart.objective}`;
    if (drawnVersion.get(kind) === drawn) return;
    if (chart.spec) {
      await drawChart(body, chart.spec);
      caption.textContent = chart.note ?? "";
    } else {
      showNote(body, `${title}: ${chart.note ?? "nothing to draw yet."}`);
      caption.textContent = "";
    }
    drawnVersion.set(kind, drawn);
  } catch (error) {
    replace(body, errorBox(error));
  }
}

function showStatus(info: StudyResponse): void {
  if (!status) return;
  const seconds = pollMs() / 1000;
  status.textContent = info.running ? `Running: updates every ${seconds < 1 ? seconds.toFixed(1) : Math.round(seconds)} s.` : "";
}

async function poll(): Promise<void> {
  const info = await getJson<StudyResponse>(`/api/studies/${studyId}`);
  showStatus(info);
  if (info.version === version) return;
  version = info.version;
  polls++;
  const fresh = factsOf(info.study);
  facts?.replaceWith(fresh);
  facts = fresh;
  const freshMeta = await metaOf(info);
  meta?.replaceWith(freshMeta);
  meta = freshMeta;
  const kinds = charts.map((c) => c.kind).filter((k) => !COSTLY.has(k) || !info.running || polls % IMPORTANCE_EVERY === 0);
  await Promise.all(kinds.map(loadChart));
}

start()
  .then(() => every(pollMs(), poll))
  .catch((error) => replace(main(), errorBox(error)));
