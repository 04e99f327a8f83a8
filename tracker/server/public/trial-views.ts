/**
 * The trials table's filter box and saved views. A view is the table's query — the
 * `where` filter, sort and order, and the other filters — kept whole in the address bar,
 * so a link to it shows the same rows to anyone; "Save view" keeps named links to views
 * in this browser's localStorage, per study. Nothing is written to the server.
 */
import type { ApiError } from "../types.js";
import { ApiFailure, h } from "./common.js";

/** A filter the server refused, with where its text is wrong. */
export class FilterFailure extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly length: number,
  ) {
    super(message);
  }
}

/** GETs a trials page; a filter the server refuses throws `FilterFailure`, other failures `ApiFailure`. */
export async function getTrialsJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  const error = (body as ApiError | null)?.error;
  if (error?.param === "where" && typeof error.position === "number")
    throw new FilterFailure(error.message, error.position, error.length ?? 1);
  throw new ApiFailure(response.status, error?.message ?? `${response.status} ${response.statusText}`);
}

/** The filter box: type a filter, Enter or "Apply" sets it; a refused one is marked where it is wrong. */
export function filterBox(current: string, failure: FilterFailure | null, apply: (text: string) => void): HTMLElement {
  const input = h("input", { type: "text", id: "where-filter", value: current, title: "a filter, e.g. params.k > 5 and state = COMPLETE" });
  input.placeholder = "filter, e.g. params.k > 5 and (state = COMPLETE or value >= 0.95)";
  input.spellcheck = false;
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") apply(input.value.trim());
  });
  const buttons = [
    h("button", { type: "button", id: "where-apply", onclick: () => apply(input.value.trim()) }, "Apply"),
    current ? h("button", { type: "button", id: "where-clear", onclick: () => apply("") }, "Clear") : null,
  ];
  if (failure) {
    input.classList.add("invalid");
    // Put the cursor where the filter is wrong once the box is on the page.
    queueMicrotask(() => input.setSelectionRange(failure.position, failure.position + failure.length));
  }
  return h(
    "div",
    { className: "where-box" },
    h("label", null, "where ", input),
    " ",
    ...buttons,
    failure ? filterProblem(current, failure) : null,
  );
}

/** The message, and the filter with the bad part marked and a caret under it. */
function filterProblem(text: string, failure: FilterFailure): HTMLElement {
  const end = Math.min(text.length, failure.position + Math.max(1, failure.length));
  const caret = `${" ".repeat(failure.position)}${"^".repeat(Math.max(1, failure.length))}`;
  const box = h(
    "div",
    { className: "error where-error", id: "where-error" },
    h("div", null, failure.message),
    h(
      "pre",
      { className: "where-caret" },
      text.slice(0, failure.position),
      h("mark", null, text.slice(failure.position, end) || " "),
      text.slice(end),
      `\n${caret}`,
    ),
  );
  box.setAttribute("role", "alert");
  return box;
}

interface SavedView {
  name: string;
  /** The query string, without the page offset. */
  query: string;
}

const storageKey = (studyId: number) => `tunebook:trial-views:${studyId}`;

function loadViews(studyId: number): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(studyId)) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((v): v is SavedView => typeof v?.name === "string" && typeof v?.query === "string") : [];
  } catch {
    return [];
  }
}

function storeViews(studyId: number, views: readonly SavedView[]): void {
  localStorage.setItem(storageKey(studyId), JSON.stringify(views));
}

/** The view of a query: everything but the page offset. */
export function viewQuery(search: URLSearchParams): string {
  const q = new URLSearchParams(search);
  q.delete("offset");
  return q.toString();
}

/** "Save view" (a name, then the button) and the saved views of this study, as links; `changed` redraws. */
export function savedViews(studyId: number, search: URLSearchParams, changed: () => void): HTMLElement {
  const views = loadViews(studyId);
  const current = viewQuery(search);
  const name = h("input", { type: "text", id: "view-name", title: "a name for this view" });
  name.placeholder = "view name";
  name.size = 14;
  const save = h(
    "button",
    {
      type: "button",
      id: "view-save",
      onclick: () => {
        const label = name.value.trim() || `view ${views.length + 1}`;
        storeViews(studyId, [...views.filter((v) => v.name !== label), { name: label, query: current }]);
        changed();
      },
    },
    "Save view",
  );
  const links = views.map((v) =>
    h(
      "span",
      { className: `filter-chip saved-view${v.query === current ? " current" : ""}` },
      h("a", { href: `${location.pathname}${v.query ? `?${v.query}` : ""}`, dataset: { view: v.name } }, v.name),
      " ",
      h(
        "button",
        {
          type: "button",
          title: `forget the view ${v.name}`,
          onclick: () => {
            storeViews(
              studyId,
              views.filter((x) => x !== v),
            );
            changed();
          },
        },
        "×",
      ),
    ),
  );
  return h("div", { className: "saved-views", id: "saved-views" }, name, " ", save, links.length ? " " : null, ...links);
}
