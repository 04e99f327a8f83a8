/** The paired tests of two algorithms as the compare page shows them: a table of both tests and a verdict. */
import type { Comparison } from "../../analysis/compare.js";
import { h, num } from "./common.js";

/** How a comparison is worded: what was paired, and what "better" means. */
export interface PairedTestWords {
  intro: string;
  tie: string;
  better: string;
  tTest: string;
  /** Appended to the verdict when neither test finds a difference. */
  neither: string;
}

/** The two paired tests as a table with their verdicts, worded for what was paired. */
export function pairedTests(t: Comparison, words: PairedTestWords, id = "compare-test"): HTMLElement {
  const verdict = (significant: boolean, p: number) =>
    `p = ${num(p)}: ${significant ? `significant at ${t.alpha}` : `not significant at ${t.alpha}`}`;
  const row = (label: string, ...cells: string[]) => h("tr", null, h("th", null, label), ...cells.map((c) => h("td", null, c)));
  const both = t.significant.tTest && t.significant.wilcoxon;
  const neither = !t.significant.tTest && !t.significant.wilcoxon;
  return h(
    "div",
    { id },
    h("p", null, words.intro, t.better === null ? words.tie : `${t.better} ${words.better}`),
    h(
      "table",
      null,
      h(
        "tbody",
        null,
        row(t.a.name, `${num(t.a.mean)} ± ${num(t.a.std)}`),
        row(t.b.name, `${num(t.b.mean)} ± ${num(t.b.std)}`),
        row("mean difference", num(t.meanDifference)),
        row(words.tTest, `t = ${num(t.tTest.t)}, df = ${t.tTest.df}`, verdict(t.significant.tTest, t.tTest.pValue)),
        row(
          "Wilcoxon signed-rank test",
          `W = ${num(t.wilcoxon.statistic)} (${t.wilcoxon.method})`,
          verdict(t.significant.wilcoxon, t.wilcoxon.pValue),
        ),
      ),
    ),
    h(
      "p",
      { className: "verdict" },
      both
        ? "Both tests say the difference is unlikely to be noise."
        : neither
          ? `Neither test finds the difference significant: it may well be noise${words.neither}.`
          : "The tests disagree: treat the difference with caution.",
    ),
  );
}
