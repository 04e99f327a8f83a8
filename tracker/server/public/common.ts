/**
 * Helpers shared by the page scripts. Every piece of data reaches the page through
 * `h()` and text nodes — never through innerHTML — so a study named
 * `<img src=x onerror=...>` is shown as those characters.
 */
import type { ApiError, ParetoJson, StudyJson } from "../types.js";

type Child = Node | string | number | null | undefined | false;
type Props = {
  className?: string;
  href?: string;
  title?: string;
  id?: string;
  type?: string;
  value?: string;
  checked?: boolean;
  disabled?: boolean;
  colSpan?: number;
  dataset?: Record<string, string>;
  onclick?: (event: MouseEvent) => void;
  onchange?: (event: Event) => void;
};

/** An element with properties and children; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    const { dataset, onclick, onchange, ...rest } = props;
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined) continue;
      if (key === "href") el.setAttribute("href", safeHref(String(value)));
      else (el as unknown as Record<string, unknown>)[key] = value;
    }
    if (dataset) for (const [k, v] of Object.entries(dataset)) el.dataset[k] = v;
    if (onclick) el.addEventListener("click", onclick as EventListener);
    if (onchange) el.addEventListener("change", onchange);
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Links are built by the pages themselves; only same-site paths are let through. */
function safeHref(href: string): string {
  return href.startsWith("/") && !href.startsWith("//") ? href : "#";
}

/** Replaces the children of `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET a JSON API route; a non-2xx answer throws `ApiFailure` with the server's message. */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as ApiError | null)?.error?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiFailure(response.status, message);
  }
  return body as T;
}

export function errorBox(error: unknown): HTMLElement {
  return h("div", { className: "error" }, error instanceof Error ? error.message : String(error));
}

/** The page's main element. */
export function main(): HTMLElement {
  return document.getElementById("app")!;
}

/** Poll interval the server asked for (meta tag), in ms. */
export function pollMs(): number {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="tunebook-poll-ms"]');
  const ms = Number(meta?.content);
  return Number.isFinite(ms) && ms >= 200 ? ms : 3000;
}

/** Calls `tick` every `ms` (four times slower while the page is hidden), each call finished before the next. */
export function every(ms: number, tick: () => Promise<void>): void {
  const run = async () => {
    try {
      await tick();
    } catch (error) {
      console.warn("tunebook: refresh failed:", error);
    }
    setTimeout(run, document.hidden ? ms * 4 : ms);
  };
  setTimeout(run, ms);
}

/** A number shown with up to 6 significant digits. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-4 || abs >= 1e6) ? value.toExponential(4) : String(Number(value.toPrecision(6)));
}

export function paramText(value: unknown): string {
  if (typeof value === "number") return num(value);
  return value === undefined ? "" : (JSON.stringify(value) ?? String(value));
}

export function dateText(iso: string | null): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function durationText(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${num(Number(seconds.toFixed(2)))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function stateCell(state: string): HTMLElement {
  return h("td", { className: `state-${state}` }, state);
}

/** Study facts shown at the top of the study, trials and refine pages. */
export function studyFacts(study: StudyJson): HTMLElement {
  const fact = (label: string, value: string) => h("span", null, h("b", null, `${label}: `), value);
  const counts = (Object.entries(study.counts) as [string, number][]).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.toLowerCase()}`);
  const pareto = study.pareto;
  return h(
    "div",
    { className: "facts" },
    pareto === null ? fact("direction", study.direction) : fact("objectives", study.objectives.join(", ")),
    study.experiment !== null ? fact("experiment", study.experiment) : null,
    fact("sampler", study.sampler ?? "—"),
    study.pruner !== null ? fact("pruner", study.pruner) : null,
    fact("trials", counts.length ? `${study.total} (${counts.join(", ")})` : "none yet"),
    pareto === null
      ? fact("best", study.bestValue === null ? "—" : `${num(study.bestValue)} (trial ${study.bestTrialNumber})`)
      : fact("Pareto front", frontText(pareto)),
    pareto === null ? null : fact("hypervolume", hypervolumeText(pareto)),
    pareto !== null && pareto.infeasible > 0
      ? fact("infeasible", `${pareto.infeasible} of ${pareto.feasible + pareto.infeasible} completed`)
      : null,
    fact("last activity", dateText(study.lastActivity)),
  );
}

/** The front's size, with its trials when there are few. */
export function frontText(pareto: ParetoJson): string {
  const numbers = pareto.frontTrialNumbers;
  if (numbers.length === 0) return "no feasible completed trial yet";
  const which = numbers.length <= 8 ? `: ${numbers.join(", ")}` : "";
  return `${numbers.length} trial${numbers.length === 1 ? "" : "s"}${which}`;
}

/** The hypervolume and the reference point it is measured from. */
export function hypervolumeText(pareto: ParetoJson): string {
  if (pareto.hypervolume === null || pareto.referencePoint === null) return "—";
  return `${num(pareto.hypervolume)} (reference point ${pareto.referencePoint.map((v) => num(v)).join(", ")})`;
}

/** The study id in a path like /studies/12/..., or null. */
export function studyIdFromPath(): number | null {
  const match = /^\/studies\/(\d+)/.exec(location.pathname);
  return match ? Number(match[1]) : null;
}

/** Links between the pages of one study. */
export function studyLinks(id: number): HTMLElement {
  return h(
    "p",
    { className: "links" },
    h("a", { href: `/studies/${id}` }, "Charts"),
    h("a", { href: `/studies/${id}/trials` }, "Trials"),
    h("a", { href: `/studies/${id}/refine` }, "Refine"),
    h("a", { href: `/api/studies/${id}/export?format=csv` }, "Export CSV"),
    h("a", { href: `/api/studies/${id}/export?format=json` }, "Export JSON"),
  );
}
