/**
 * The study page: facts and every chart, each fetched and drawn on its own. While the
 * study changes (trials running), the page polls its version and redraws what moved;
 * importance, the costliest to compute, at most every few polls.
 */
import type { ChartResponse, StudyChartKind, StudyResponse } from "../types.js";
import { chartBox, drawChart, showNote } from "./charts.js";
import { errorBox, every, getJson, h, main, pollMs, replace, studyFacts, studyIdFromPath, studyLinks } from "./common.js";

const CHARTS: { kind: StudyChartKind; title: string; wide?: boolean }[] = [
  { kind: "history", title: "Optimisation history" },
  { kind: "importance", title: "Hyperparameter importance" },
  { kind: "slice", title: "Slice plots", wide: true },
  { kind: "parallel", title: "Parallel coordinates", wide: true },
  { kind: "contour", title: "Contour of the two most important parameters" },
  { kind: "edf", title: "Empirical distribution of values" },
  { kind: "intermediate", title: "Intermediate values" },
  { kind: "timeline", title: "Timeline", wide: true },
];
/** Importance is redrawn at most once per this many polls while the study runs. */
const IMPORTANCE_EVERY = 5;

const studyId = studyIdFromPath()!;
const boxes = new Map<StudyChartKind, { body: HTMLElement; caption: HTMLElement; title: string }>();
const drawnVersion = new Map<StudyChartKind, string>();
let facts: HTMLElement | null = null;
let status: HTMLElement | null = null;
let version = "";
let polls = 0;

async function start(): Promise<void> {
  const info = await getJson<StudyResponse>(`/api/studies/${studyId}`);
  document.title = `${info.study.name} · tunebook`;
  facts = studyFacts(info.study);
  status = h("p", { className: "muted", id: "live-status" });
  const grid = h("div", { className: "charts" });
  for (const c of CHARTS) {
    const { box, body, caption } = chartBox(c.title, { wide: c.wide, name: c.kind });
    boxes.set(c.kind, { body, caption, title: c.title });
    grid.appendChild(box);
  }
  replace(main(), h("h1", { id: "study-name" }, info.study.name), facts, studyLinks(studyId), status, grid);
  version = info.version;
  showStatus(info);
  await Promise.all(CHARTS.map((c) => loadChart(c.kind)));
  // Signals the charts' first drawing is over (read by the browser tests and the benchmark).
  document.documentElement.dataset.chartsDone = "1";
}

async function loadChart(kind: StudyChartKind): Promise<void> {
  const { body, caption, title } = boxes.get(kind)!;
  try {
    const chart = await getJson<ChartResponse>(`/api/studies/${studyId}/charts/${kind}`);
    if (drawnVersion.get(kind) === chart.version) return;
    if (chart.spec) {
      await drawChart(body, chart.spec);
      caption.textContent = chart.note ?? "";
    } else {
      showNote(body, `${title}: ${chart.note ?? "nothing to draw yet."}`);
      caption.textContent = "";
    }
    drawnVersion.set(kind, chart.version);
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
  const fresh = studyFacts(info.study);
  facts?.replaceWith(fresh);
  facts = fresh;
  const kinds = CHARTS.map((c) => c.kind).filter((k) => k !== "importance" || !info.running || polls % IMPORTANCE_EVERY === 0);
  await Promise.all(kinds.map(loadChart));
}

start()
  .then(() => every(pollMs(), poll))
  .catch((error) => replace(main(), errorBox(error)));
