/**
 * The trials table: the server filters, sorts and pages (so 100,000 trials cost one
 * page of rows); this page keeps the query in the address bar, so a view can be
 * bookmarked or shared.
 */
import type { StudyResponse, TrialsResponse } from "../types.js";
import {
  ApiFailure,
  dateText,
  durationText,
  errorBox,
  every,
  getJson,
  h,
  main,
  num,
  paramText,
  pollMs,
  replace,
  stateCell,
  studyFacts,
  studyIdFromPath,
  studyLinks,
} from "./common.js";
import { FilterFailure, filterBox, getTrialsJson, savedViews } from "./trial-views.js";

const STATES = ["COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"];
const PAGE_SIZES = [25, 50, 100, 250, 1000];

const studyId = studyIdFromPath()!;
let study: StudyResponse | null = null;
let lastVersion = "";
let lastQuery = "";

function query(): URLSearchParams {
  return new URLSearchParams(location.search);
}

function setQuery(q: URLSearchParams): void {
  history.replaceState(null, "", `${location.pathname}${q.toString() && `?${q}`}`);
  void refresh(true);
}

async function refresh(force = false): Promise<void> {
  const info = await getJson<StudyResponse>(`/api/studies/${studyId}`);
  const q = query().toString();
  if (!force && info.version === lastVersion && q === lastQuery) return;
  study = info;
  lastVersion = info.version;
  lastQuery = q;
  try {
    render(info, await getTrialsJson<TrialsResponse>(`/api/studies/${studyId}/trials${q ? `?${q}` : ""}`));
  } catch (error) {
    if (error instanceof FilterFailure) return render(info, null, undefined, error);
    // A bad filter in the address bar: say what is wrong, keep the page usable.
    if (!(error instanceof ApiFailure) || error.status !== 400) throw error;
    render(info, null, error);
  }
}

function render(info: StudyResponse, data: TrialsResponse | null, error?: Error, filterFailure: FilterFailure | null = null): void {
  document.title = `Trials of ${info.study.name} · tunebook`;
  replace(
    main(),
    h("h1", null, "Trials of ", h("a", { href: `/studies/${studyId}` }, info.study.name)),
    studyFacts(info.study),
    studyLinks(studyId),
    filterBox(query().get("where") ?? "", filterFailure, (text) => {
      const nq = query();
      if (text) nq.set("where", text);
      else nq.delete("where");
      nq.delete("offset");
      setQuery(nq);
    }),
    savedViews(studyId, query(), () => void refresh(true)),
    controls(info, data),
    data?.hint ? h("p", { className: "where-hint", id: "where-hint" }, data.hint) : null,
    error ? h("div", null, errorBox(error), h("p", null, h("a", { href: location.pathname }, "Clear all filters"))) : null,
    data ? pager(data) : null,
    data ? table(data) : null,
    data && data.total > data.limit ? pager(data) : null,
  );
}

function controls(info: StudyResponse, data: TrialsResponse | null): HTMLElement {
  const q = query();
  const states = new Set(q.getAll("state").flatMap((s) => s.split(",")));
  const stateBoxes = STATES.map((s) =>
    h(
      "label",
      null,
      h("input", {
        type: "checkbox",
        checked: states.has(s),
        dataset: { state: s },
        onchange: (e) => {
          const next = new Set(states);
          if ((e.target as HTMLInputElement).checked) next.add(s);
          else next.delete(s);
          const nq = query();
          nq.delete("state");
          if (next.size) nq.set("state", [...next].join(","));
          nq.delete("offset");
          setQuery(nq);
        },
      }),
      ` ${s.toLowerCase()} (${info.study.counts[s as keyof typeof info.study.counts]})`,
    ),
  );
  // One range filter for parameters, objectives and constraints: each option says which query key it adds to.
  const numeric = info.params.filter((p) => p.kind !== "categorical");
  const objectives = data?.objectives ?? info.study.objectives;
  const constraints = data?.constraints ?? [];
  const options = [
    ...numeric.map((p) => h("option", { value: `range|${p.name}` }, p.log ? `${p.name} (log)` : p.name)),
    ...(objectives.length > 1 ? objectives.map((title, i) => h("option", { value: `objective|${i}` }, title)) : []),
    ...constraints.map((label, i) => h("option", { value: `constraint|${i}` }, `constraint ${label}`)),
  ];
  const select = h("select", { id: "range-param" }, ...options);
  const min = h("input", { type: "text", id: "range-min", title: "minimum (empty: none)" });
  const max = h("input", { type: "text", id: "range-max", title: "maximum (empty: none)" });
  min.placeholder = "min";
  max.placeholder = "max";
  min.size = max.size = 8;
  const add = h(
    "button",
    {
      type: "button",
      id: "range-add",
      onclick: () => {
        const bar = select.value.indexOf("|");
        const nq = query();
        nq.append(select.value.slice(0, bar), `${select.value.slice(bar + 1)}:${min.value.trim()}:${max.value.trim()}`);
        nq.delete("offset");
        setQuery(nq);
      },
    },
    "Add filter",
  );
  const chipFor = (key: string, r: string, text: string) =>
    h(
      "span",
      { className: "filter-chip" },
      text,
      " ",
      h(
        "button",
        {
          type: "button",
          title: "remove this filter",
          onclick: () => {
            const nq = query();
            const rest = nq.getAll(key).filter((x) => x !== r);
            nq.delete(key);
            for (const x of rest) nq.append(key, x);
            nq.delete("offset");
            setQuery(nq);
          },
        },
        "×",
      ),
    );
  const chips = [
    ...q.getAll("range").map((r) => chipFor("range", r, rangeText(r))),
    ...q.getAll("objective").map((r) =>
      chipFor(
        "objective",
        r,
        rangeText(r, (i) => objectives[Number(i)] ?? `objective ${i}`),
      ),
    ),
    ...q.getAll("constraint").map((r) =>
      chipFor(
        "constraint",
        r,
        rangeText(r, (i) => `constraint ${constraints[Number(i)] ?? i}`),
      ),
    ),
  ];
  const feasible = constraints.length
    ? h(
        "select",
        {
          id: "feasible-filter",
          onchange: () => {
            const nq = query();
            if (feasible!.value === "any") nq.delete("feasible");
            else nq.set("feasible", feasible!.value);
            nq.delete("offset");
            setQuery(nq);
          },
        },
        h("option", { value: "any" }, "feasible or not"),
        h("option", { value: "true" }, "feasible only"),
        h("option", { value: "false" }, "infeasible only"),
      )
    : null;
  if (feasible) feasible.value = q.get("feasible") ?? "any";
  const size = h(
    "select",
    {
      id: "page-size",
      onchange: () => {
        const nq = query();
        nq.set("limit", size.value);
        nq.delete("offset");
        setQuery(nq);
      },
    },
    ...PAGE_SIZES.map((n) => h("option", { value: String(n) }, `${n} per page`)),
  );
  size.value = String(data?.limit ?? 50);
  return h(
    "div",
    { className: "controls" },
    h("fieldset", null, h("legend", null, "state"), ...stateBoxes),
    feasible ? h("fieldset", null, h("legend", null, "constraints"), feasible) : null,
    options.length ? h("fieldset", null, h("legend", null, "range"), select, " ", min, " – ", max, " ", add) : null,
    chips.length ? h("span", null, ...chips) : null,
    size,
  );
}

function rangeText(raw: string, nameOf: (name: string) => string = (name) => name): string {
  const last = raw.lastIndexOf(":");
  const middle = raw.lastIndexOf(":", last - 1);
  const name = nameOf(raw.slice(0, middle));
  const lo = raw.slice(middle + 1, last) || "−∞";
  const hi = raw.slice(last + 1) || "∞";
  return `${lo} ≤ ${name} ≤ ${hi}`;
}

function pager(data: TrialsResponse): HTMLElement {
  const go = (offset: number) => () => {
    const nq = query();
    if (offset > 0) nq.set("offset", String(offset));
    else nq.delete("offset");
    setQuery(nq);
  };
  const lastPage = Math.max(0, Math.floor((data.total - 1) / data.limit) * data.limit);
  const from = data.total === 0 ? 0 : data.offset + 1;
  const to = Math.min(data.total, data.offset + data.limit);
  return h(
    "div",
    { className: "pager" },
    h("button", { type: "button", disabled: data.offset === 0, onclick: go(0) }, "« first"),
    h(
      "button",
      { type: "button", className: "prev", disabled: data.offset === 0, onclick: go(Math.max(0, data.offset - data.limit)) },
      "‹ previous",
    ),
    h("span", { className: "range-text" }, `${from}–${to} of ${data.total}`),
    h("button", { type: "button", className: "next", disabled: to >= data.total, onclick: go(data.offset + data.limit) }, "next ›"),
    h("button", { type: "button", disabled: to >= data.total, onclick: go(lastPage) }, "last »"),
  );
}

function table(data: TrialsResponse): HTMLElement {
  const several = data.objectives.length > 1;
  const constrained = data.constraints.length > 0;
  const columns: { label: string; sort: string; numeric: boolean }[] = [
    { label: "number", sort: "number", numeric: true },
    { label: "state", sort: "state", numeric: false },
    ...(several
      ? data.objectives.map((title, i) => ({ label: title, sort: `objective:${i}`, numeric: true }))
      : [{ label: "value", sort: "value", numeric: true }]),
    ...data.constraints.map((label, i) => ({ label, sort: `constraint:${i}`, numeric: true })),
    ...(constrained ? [{ label: "feasible", sort: "feasible", numeric: false }] : []),
    { label: "duration", sort: "duration", numeric: true },
    { label: "started", sort: "start", numeric: false },
    ...data.params.map((p) => ({ label: p, sort: `param:${p}`, numeric: true })),
  ];
  const header = columns.map((c) => {
    const sorted = data.sort === c.sort ? ` sorted-${data.order}` : "";
    return h(
      "th",
      {
        className: `sortable${c.numeric ? " num" : ""}${sorted}`,
        title: "sort by this column",
        dataset: { sort: c.sort },
        onclick: () => {
          const nq = query();
          const order = data.sort === c.sort && data.order === "asc" ? "desc" : "asc";
          nq.set("sort", c.sort);
          nq.set("order", order);
          nq.delete("offset");
          setQuery(nq);
        },
      },
      c.label,
    );
  });
  const rows = data.rows.map((t) =>
    h(
      "tr",
      null,
      h("td", { className: "num" }, h("a", { href: `/studies/${studyId}/trials/${t.number}` }, String(t.number))),
      stateCell(t.state),
      ...(several
        ? data.objectives.map((_, i) => h("td", { className: "num" }, num(t.values?.[i] ?? null)))
        : [h("td", { className: "num" }, num(t.value))]),
      ...t.constraints.map((c) => h("td", { className: c !== null && c > 0 ? "num violated" : "num" }, num(c))),
      constrained
        ? h("td", { className: t.feasible === false ? "infeasible" : "" }, t.feasible === null ? "—" : t.feasible ? "yes" : "no")
        : null,
      h("td", { className: "num" }, durationText(t.durationSeconds)),
      h("td", null, dateText(t.datetimeStart)),
      ...data.params.map((p) => h("td", { className: "num" }, paramText(Object.hasOwn(t.params, p) ? t.params[p] : undefined))),
    ),
  );
  return h(
    "table",
    { className: "trials", id: "trials-table" },
    h("thead", null, h("tr", null, ...header)),
    h(
      "tbody",
      null,
      ...(rows.length ? rows : [h("tr", null, h("td", { colSpan: columns.length, className: "muted" }, "No trial matches."))]),
    ),
  );
}

refresh(true).catch((error) => replace(main(), errorBox(error)));
every(pollMs(), () => (study ? refresh() : Promise.resolve()));
