/** Refine: a narrowed search space from the study's top trials, as code to copy into the next study. */
import type { DistributionJson } from "../../../core/records.js";
import type { RefineResponse } from "../types.js";
import { errorBox, getJson, h, main, num, replace, studyFacts, studyIdFromPath, studyLinks } from "./common.js";

const studyId = studyIdFromPath()!;
const QUANTILES = [0.05, 0.1, 0.2, 0.3, 0.5];

function rangeText(d: DistributionJson): string {
  if (d.name === "CategoricalDistribution") return d.attributes.choices.map((c) => JSON.stringify(c)).join(", ");
  const { low, high, log, step } = d.attributes;
  return `${num(low)} … ${num(high)}${log ? " (log)" : ""}${step !== null && !(d.name === "IntDistribution" && step === 1) ? `, step ${step}` : ""}`;
}

async function start(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const data = await getJson<RefineResponse>(`/api/studies/${studyId}/refine${query.toString() && `?${query}`}`);
  document.title = `Refine ${data.study.name} · tunebook`;
  const quantile = h(
    "select",
    {
      id: "refine-quantile",
      onchange: () => {
        const q = new URLSearchParams(location.search);
        q.set("quantile", quantile.value);
        location.search = q.toString();
      },
    },
    ...QUANTILES.map((q) => h("option", { value: String(q) }, `top ${Math.round(q * 100)}%`)),
  );
  quantile.value = query.get("quantile") ?? "0.2";
  replace(
    main(),
    h("h1", null, "Refine ", h("a", { href: `/studies/${studyId}` }, data.study.name)),
    studyFacts(data.study),
    studyLinks(studyId),
    h(
      "p",
      null,
      "A narrower search space around the study's best trials (log-aware, never beyond the original bounds), to start the next study from. From the ",
      quantile,
      " of the COMPLETE trials.",
    ),
    ...(data.refined ? body(data.refined) : [h("p", { className: "muted", id: "refine-note" }, data.note ?? "Nothing to refine yet.")]),
  );
}

function body(refined: NonNullable<RefineResponse["refined"]>): HTMLElement[] {
  const code = h("pre", { id: "refine-code" }, refined.code);
  const copied = h("span", { className: "muted" });
  const copy = h(
    "button",
    {
      type: "button",
      id: "refine-copy",
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(refined.code);
          copied.textContent = " copied";
        } catch {
          // Clipboard access can be refused; selecting the text lets the user copy by hand.
          const range = document.createRange();
          range.selectNodeContents(code);
          getSelection()?.removeAllRanges();
          getSelection()?.addRange(range);
          copied.textContent = " selected: press Ctrl+C";
        }
      },
    },
    "Copy code",
  );
  const table = h(
    "table",
    { id: "refine-table" },
    h("thead", null, h("tr", null, ...["parameter", "original", "proposed", "top trials with it", ""].map((c) => h("th", null, c)))),
    h(
      "tbody",
      null,
      ...refined.params.map((p) =>
        h(
          "tr",
          null,
          h("td", null, p.name),
          h("td", null, rangeText(p.original)),
          h("td", null, rangeText(p.refined)),
          h("td", { className: "num" }, String(p.support)),
          h("td", { className: "muted" }, p.note ?? (p.changed ? "narrowed" : "unchanged")),
        ),
      ),
    ),
  );
  return [
    h(
      "p",
      null,
      `${refined.nTop} top trials of ${refined.nComplete} complete, values at least as good as ${num(refined.threshold)} (${refined.direction}).`,
    ),
    table,
    h("h2", null, "Code for the next study"),
    h("p", null, copy, copied),
    code,
  ];
}

start().catch((error) => replace(main(), errorBox(error)));
