import { STATE_COLORS } from "../charts/common.js";

/** A dot before each state's name in the charts' colour for it (the text stays dark: orange text on white would not read). */
function stateMarks(): string {
  return Object.entries(STATE_COLORS)
    .map(([state, color]) => `.state-${state}::before { content: "\\25CF"; color: ${color}; margin-right: .3em; }`)
    .join("\n");
}

/** The pages' stylesheet (served as /static/style.css; kept in code so the build ships it). */
export const STYLE_CSS = `
:root { --fg: #1d232b; --muted: #5b6673; --line: #d9dee4; --bg: #ffffff; --panel: #f6f8fa; --accent: #2f6fb3; --good: #2c7a3f; --bad: #b3392f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header.top { display: flex; gap: 2rem; align-items: baseline; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
header.top nav a { margin-right: 1rem; }
main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
a { color: var(--accent); }
h1 { font-size: 1.4rem; margin: .2rem 0 .6rem; word-break: break-word; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; word-break: break-word; }
.muted { color: var(--muted); }
.error { color: var(--bad); background: #fbeceb; border: 1px solid #f0c4c0; padding: .6rem .8rem; border-radius: 4px; white-space: pre-wrap; }
pre { background: var(--panel); border: 1px solid var(--line); padding: .6rem .8rem; border-radius: 4px; overflow: auto; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; margin: .3rem 0 1rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th.sortable { cursor: pointer; user-select: none; }
th.sorted-asc::after { content: " ▲"; }
th.sorted-desc::after { content: " ▼"; }
${stateMarks()}
td.violated, td.infeasible { color: var(--bad); }
.facts { display: flex; flex-wrap: wrap; gap: .4rem 1.6rem; margin: .2rem 0 .8rem; }
.facts span b { font-weight: 600; }
.links a { margin-right: 1rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1rem; }
.chart-box { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; min-height: 120px; overflow: auto; }
.chart-box .caption { font-size: .85rem; margin: .3rem 0 0; }
.chart-box.wide { grid-column: 1 / -1; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: center; margin: .4rem 0 .8rem; }
.controls fieldset { border: 1px solid var(--line); border-radius: 4px; padding: .2rem .6rem; }
.pager { display: flex; gap: .8rem; align-items: center; }
button { font: inherit; padding: .2rem .7rem; }
input[type=number], input[type=text], select { font: inherit; padding: .1rem .3rem; }
.where-box { margin: .4rem 0; }
.where-box input { width: min(44rem, 70vw); font-family: ui-monospace, monospace; }
.where-box input.invalid { border-color: #c0392b; outline-color: #c0392b; }
.where-caret { margin: .3rem 0 0; font-family: ui-monospace, monospace; white-space: pre; }
.where-caret mark { background: #f5c6c0; color: inherit; }
.where-hint { margin: .3rem 0; padding: .4rem .7rem; background: #fff8e1; border: 1px solid #f0d48a; border-radius: 4px; }
.saved-views { margin: .3rem 0; }
.saved-view.current { font-weight: 600; }
.filter-chip { display: inline-block; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 0 .5rem; margin-right: .4rem; }
/* Tags: chips that filter the studies list; the active ones are the filters in force. */
span.tags { display: inline-flex; flex-wrap: wrap; gap: .25rem .3rem; vertical-align: baseline; }
td.tags:not(:empty) { min-width: 9rem; }
td.tags .tag { margin: 0 .3rem .2rem 0; max-width: 10rem; }
/* Tags take room from the row; the study's name keeps enough not to break at every hyphen. */
table.studies tbody tr:has(td.tags:not(:empty)) td:nth-child(2) { min-width: 9.5rem; }
.tag { display: inline-block; max-width: 16rem; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; font: inherit; font-size: .8rem; line-height: 1.5; padding: 0 .5rem; border: 1px solid #c9d7e8; border-radius: 999px; background: #eef4fb; color: var(--accent); text-decoration: none; white-space: nowrap; cursor: pointer; }
.tag:hover { background: #dfeaf7; border-color: var(--accent); }
.tag.active { background: var(--accent); border-color: var(--accent); color: #fff; }
#tag-filters { display: inline-flex; flex-wrap: wrap; gap: .3rem; align-items: center; }
#tag-filters:not(:empty)::before { content: "filtered by"; color: var(--muted); margin-right: .1rem; }
input[type=search] { font: inherit; padding: .25rem .5rem; border: 1px solid #b8c0ca; border-radius: 4px; }
#study-search { width: min(30rem, 80vw); }
#study-tags { margin: .2rem 0 .6rem; }
/* A note: the user's Markdown, set off from the page's own headings. */
.note { border-left: 3px solid #c9d7e8; background: #fbfcfd; padding: .2rem 1rem; margin: .4rem 0 1rem; max-width: 60rem; overflow-wrap: anywhere; }
.note h1, .note h2, .note h3, .note h4, .note h5, .note h6 { margin: .7rem 0 .3rem; }
.note h1 { font-size: 1.15rem; }
.note h2 { font-size: 1.05rem; }
.note h3, .note h4, .note h5, .note h6 { font-size: .95rem; }
.note p, .note ul, .note ol { margin: .4rem 0; }
.note ul, .note ol { padding-left: 1.4rem; }
.note code { font: .85em ui-monospace, monospace; background: var(--panel); border: 1px solid var(--line); border-radius: 3px; padding: 0 .25em; }
.note pre { margin: .5rem 0; padding: .5rem .7rem; white-space: pre; overflow-x: auto; word-break: normal; }
.note pre code { border: 0; padding: 0; background: none; }
/* Provenance: one line until opened. */
details.provenance { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0 .6rem; max-width: 72rem; }
details.provenance > summary { cursor: pointer; padding: .35rem .7rem; background: var(--panel); border-radius: 6px; }
details.provenance[open] > summary { border-bottom: 1px solid var(--line); border-radius: 6px 6px 0 0; }
details.provenance > :not(summary) { margin-left: .7rem; margin-right: .7rem; }
details.provenance > p { margin-top: .4rem; margin-bottom: .6rem; }
.provenance-body { display: flex; flex-wrap: wrap; gap: 0 2rem; align-items: flex-start; padding-top: .5rem; }
.provenance-body table { margin: 0 0 .6rem; font-size: .9rem; }
.provenance-facts { max-width: 44rem; }
.provenance-facts td { overflow-wrap: anywhere; }
.provenance code { font: .85rem ui-monospace, monospace; }
.commit code[title] { cursor: help; }
.dirty { display: inline-block; margin-left: .4rem; padding: 0 .4rem; font-size: .75rem; line-height: 1.5; border-radius: 3px; background: #fdf0d5; border: 1px solid #e6c679; color: #7a5200; vertical-align: baseline; }
.provenance-cell { margin-bottom: .6rem; }
.provenance-cell pre { margin: .2rem 0 0; max-height: 14rem; overflow: auto; white-space: pre; word-break: normal; font-size: .85rem; }
.earlier-runs { font-size: .85rem; }
/* The diff page: the headlines first, then each section as identical or a table of what differs. */
.headlines { margin: .4rem 0 1rem; padding: .6rem .9rem .6rem 2rem; max-width: 72rem; border: 1px solid #ecd49a; border-left: 4px solid #d9a21b; border-radius: 4px; background: #fff8e6; font-size: 1rem; }
.headlines li + li { margin-top: .3rem; }
p.headlines.same { padding-left: .9rem; border-color: #b9dcc2; border-left-color: var(--good); background: #f0f8f2; }
.diff-section { max-width: 72rem; }
.diff-section h2 { margin: 1rem 0 .35rem; }
.diff-section.same { display: flex; align-items: baseline; gap: .8rem; }
.diff-section.same h2 { margin: .5rem 0 .3rem; font-size: 1rem; font-weight: 600; }
.identical { color: var(--good); font-size: .9rem; }
.identical::before { content: "\\2713  "; }
table.diff { width: 100%; table-layout: fixed; }
table.diff tr > :first-child { width: 13rem; }
table.diff thead th { white-space: normal; overflow-wrap: anywhere; }
table.diff tbody th { white-space: normal; font-weight: 500; }
table.diff td { font: .85rem/1.5 ui-monospace, monospace; overflow-wrap: anywhere; }
table.diff mark { border-radius: 2px; padding: 0 .1em; color: inherit; }
table.diff mark.a { background: #fbd9d3; }
table.diff mark.b { background: #cdeccf; }
ul.diff-picker { padding-left: 1.2rem; }
/* vega-embed's own stylesheet is off (it would be an inline <style>, which the CSP refuses); its essentials: */
.vega-embed { position: relative; display: inline-block; box-sizing: border-box; }
.vega-embed .vega-actions { display: none; }
.vega-embed summary { display: none; }
#vg-tooltip-element { visibility: hidden; padding: 6px; border-radius: 3px; position: fixed; z-index: 1000; font: 12px system-ui, sans-serif; max-width: 360px; background: #fff; border: 1px solid #bbb; box-shadow: 0 2px 6px rgba(0,0,0,.15); pointer-events: none; }
#vg-tooltip-element.visible { visibility: visible; }
#vg-tooltip-element table td.key { color: var(--muted); text-align: right; padding-right: 4px; }
`;
