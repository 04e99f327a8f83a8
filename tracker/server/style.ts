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
.saved-views { margin: .3rem 0; }
.saved-view.current { font-weight: 600; }
.filter-chip { display: inline-block; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 0 .5rem; margin-right: .4rem; }
/* vega-embed's own stylesheet is off (it would be an inline <style>, which the CSP refuses); its essentials: */
.vega-embed { position: relative; display: inline-block; box-sizing: border-box; }
.vega-embed .vega-actions { display: none; }
.vega-embed summary { display: none; }
#vg-tooltip-element { visibility: hidden; padding: 6px; border-radius: 3px; position: fixed; z-index: 1000; font: 12px system-ui, sans-serif; max-width: 360px; background: #fff; border: 1px solid #bbb; box-shadow: 0 2px 6px rgba(0,0,0,.15); pointer-events: none; }
#vg-tooltip-element.visible { visibility: visible; }
#vg-tooltip-element table td.key { color: var(--muted); text-align: right; padding-right: 4px; }
`;
