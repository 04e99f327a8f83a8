/** One trial: state, value, params, intermediate values, fold scores, attributes, error. */
import type { JsonValue } from "../../../core/records.js";
import type { ArtifactsResponse, TrialResponse } from "../types.js";
import { chartBox, drawChart } from "./charts.js";
import { dateText, durationText, errorBox, every, getJson, h, main, num, paramText, pollMs, replace } from "./common.js";
import { noteElement } from "./provenance.js";

const match = /^\/studies\/(\d+)\/trials\/(\d+)/.exec(location.pathname)!;
const studyId = Number(match[1]);
const number = Number(match[2]);
let lastBody = "";

async function load(): Promise<void> {
  const [data, artifacts] = await Promise.all([
    getJson<TrialResponse>(`/api/studies/${studyId}/trials/${number}`),
    getJson<ArtifactsResponse>(`/api/studies/${studyId}/trials/${number}/artifacts`),
  ]);
  const body = JSON.stringify([data, artifacts]);
  if (body === lastBody) return;
  lastBody = body;
  await render(data, artifacts);
}

function keyValueTable(entries: [string, string][], className: string): HTMLElement {
  return h("table", { className }, h("tbody", null, ...entries.map(([k, v]) => h("tr", null, h("th", null, k), h("td", null, v)))));
}

function jsonText(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The trial's files (saved models, uploads): name as a download link, size, type. */
function artifactsSection({ artifacts, problem }: ArtifactsResponse): HTMLElement | null {
  if (artifacts.length === 0) return null;
  return h(
    "section",
    null,
    h("h2", null, `Artifacts (${artifacts.length})`),
    problem ? h("p", { className: "muted" }, problem) : null,
    h(
      "table",
      { id: "artifacts-table" },
      h("thead", null, h("tr", null, h("th", null, "file"), h("th", { className: "num" }, "size"), h("th", null, "type"))),
      h(
        "tbody",
        null,
        ...artifacts.map((a) =>
          h(
            "tr",
            null,
            h("td", null, a.size === null ? a.filename : h("a", { href: a.href }, a.filename)),
            h("td", { className: "num" }, a.size === null ? "missing" : sizeText(a.size)),
            h("td", { className: "muted" }, a.encoding ? `${a.mimetype} (${a.encoding})` : a.mimetype),
          ),
        ),
      ),
    ),
  );
}

function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

async function render({ trial, trialCount, intermediateChart }: TrialResponse, artifacts: ArtifactsResponse): Promise<void> {
  document.title = `Trial ${trial.number} of ${trial.studyName} · tunebook`;
  const chart = intermediateChart ? chartBox("Intermediate values", { name: "intermediate" }) : null;
  const folds = trial.foldScores;
  // Artifact records are listed under Artifacts, the note under Note.
  const systemAttrs = Object.entries(trial.systemAttrs).filter(([k]) => !k.startsWith("artifacts:") && k !== "tunebook:note");
  replace(
    main(),
    h("h1", null, `Trial ${trial.number} of `, h("a", { href: `/studies/${studyId}` }, trial.studyName)),
    h(
      "p",
      { className: "links" },
      trial.number > 0 ? h("a", { href: `/studies/${studyId}/trials/${trial.number - 1}` }, "‹ previous trial") : null,
      trial.number + 1 < trialCount ? h("a", { href: `/studies/${studyId}/trials/${trial.number + 1}` }, "next trial ›") : null,
      h("a", { href: `/studies/${studyId}/trials` }, "all trials"),
    ),
    keyValueTable(
      [
        ["state", trial.state],
        ...(trial.directions.length > 1
          ? trial.objectives.map((title, i): [string, string] => [title, num(trial.values?.[i] ?? null)])
          : [["value", num(trial.value)] as [string, string], ["direction", trial.direction] as [string, string]]),
        ...trial.constraintLabels.map((label, i): [string, string] => [`constraint ${label} (feasible ≤ 0)`, num(trial.constraints[i])]),
        ...(trial.feasible === null ? [] : [["feasible", trial.feasible ? "yes" : "no"] as [string, string]]),
        ["started", dateText(trial.datetimeStart)],
        ["completed", dateText(trial.datetimeComplete)],
        ["duration", durationText(trial.durationSeconds)],
      ],
      "facts-table",
    ),
    trial.noteHtml !== null ? h("section", null, h("h2", null, "Note"), noteElement(trial.noteHtml, "trial-note")) : null,
    trial.error !== null
      ? h("section", null, h("h2", null, "Error"), h("pre", { className: "error", id: "trial-error" }, trial.error))
      : null,
    h("h2", null, "Parameters"),
    Object.keys(trial.params).length
      ? h(
          "table",
          { id: "params-table" },
          h("thead", null, h("tr", null, h("th", null, "name"), h("th", { className: "num" }, "value"), h("th", null, "distribution"))),
          h(
            "tbody",
            null,
            ...Object.entries(trial.params).map(([name, value]) =>
              h(
                "tr",
                null,
                h("td", null, name),
                h("td", { className: "num" }, paramText(value)),
                h(
                  "td",
                  { className: "muted" },
                  distributionText(Object.hasOwn(trial.distributions, name) ? trial.distributions[name] : undefined),
                ),
              ),
            ),
          ),
        )
      : h("p", { className: "muted" }, "No parameters."),
    chart ? chart.box : null,
    folds
      ? h(
          "section",
          null,
          h("h2", null, `Fold scores (${folds.length} folds)`),
          h(
            "table",
            { id: "fold-scores" },
            h(
              "tbody",
              null,
              ...folds.map((score, i) => h("tr", null, h("th", null, `fold ${i + 1}`), h("td", { className: "num" }, num(score)))),
            ),
          ),
        )
      : null,
    artifactsSection(artifacts),
    h("h2", null, "User attributes"),
    Object.keys(trial.userAttrs).length
      ? keyValueTable(
          Object.entries(trial.userAttrs).map(([k, v]) => [k, jsonText(v)]),
          "attrs user-attrs",
        )
      : h("p", { className: "muted" }, "None."),
    systemAttrs.length ? h("h2", null, "System attributes") : null,
    systemAttrs.length
      ? keyValueTable(
          systemAttrs.map(([k, v]) => [k, jsonText(v)]),
          "attrs system-attrs",
        )
      : null,
  );
  if (chart && intermediateChart) await drawChart(chart.body, intermediateChart);
}

function distributionText(d: TrialResponse["trial"]["distributions"][string] | undefined): string {
  if (!d) return "";
  if (d.name === "CategoricalDistribution") return `one of ${d.attributes.choices.map((c) => JSON.stringify(c)).join(", ")}`;
  const { low, high, log, step } = d.attributes;
  return `${d.name === "IntDistribution" ? "int" : "float"} in [${low}, ${high}]${log ? ", log" : ""}${step !== null && !(d.name === "IntDistribution" && step === 1) ? `, step ${step}` : ""}`;
}

load().catch((error) => replace(main(), errorBox(error)));
every(pollMs(), load);
