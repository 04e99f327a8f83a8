import type { PageScript } from "./assets.js";

/**
 * The HTML of every page: a fixed shell with no data in it (so nothing user-supplied
 * ever passes through HTML), the vega bundles, and the page's script, which fetches
 * the JSON API and builds the DOM with textContent.
 */
export type PageName = "studies" | "study" | "trials" | "trial" | "compare" | "refine" | "diff";

const TITLES: Record<PageName, string> = {
  studies: "Studies",
  study: "Study",
  trials: "Trials",
  trial: "Trial",
  compare: "Compare studies",
  refine: "Refine the search space",
  diff: "Diff two studies",
};

/** Pages whose charts need the vega bundles. */
const USES_CHARTS: Record<PageName, boolean> = {
  studies: false,
  study: true,
  trials: false,
  trial: true,
  compare: true,
  refine: false,
  diff: false,
};

export interface ShellOptions {
  /** How often pages poll for changes, in milliseconds. */
  pollMs: number;
}

export function pageHtml(page: PageName, options: ShellOptions): string {
  const script = page satisfies PageScript;
  const vendor = USES_CHARTS[page]
    ? ["vega", "vega-lite", "vega-embed"].map((v) => `  <script src="/vendor/${v}.js" defer></script>\n`).join("")
    : "";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="tunebook-poll-ms" content="${Math.round(options.pollMs)}">
  <title>${TITLES[page]} · tunebook</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/style.css">
${vendor}  <script type="module" src="/static/${script}.js"></script>
</head>
<body>
  <header class="top">
    <a class="brand" href="/">tunebook</a>
    <nav><a href="/">Studies</a> <a href="/compare">Compare</a></nav>
  </header>
  <main id="app" data-page="${page}"><p class="loading">Loading…</p></main>
</body>
</html>
`;
}
