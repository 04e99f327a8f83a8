/** Refine: a narrowed search space from the study's top trials, as code to copy into the next study. */
import type { RefineResponse } from "../types.js";
import { errorBox, getJson, h, main, replace, studyFacts, studyIdFromPath, studyLinks } from "./common.js";

const studyId = studyIdFromPath()!;

async function start(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const data = await getJson<RefineResponse>(`/api/studies/${studyId}/refine${query.size ? "?" + query.toString() : ""}`);
  document.title = `Refine ${data.study.name} · tunebook`;
  const code = h("pre", { id: "refine-code" }, data.code);
  const copied = h("span", { className: "muted" });
  const copy = h("button", {
    type: "button",
    id: "refine-copy",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(data.code);
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
  }, "Copy code");
  replace(
    main(),
    h("h1", null, "Refine ", h("a", { href: `/studies/${studyId}` }, data.study.name)),
    studyFacts(data.study),
    studyLinks(studyId),
    h("p", null, "A narrower search space, covering the parameters of the study's best trials (log-aware), to start the next study from."),
    h("p", null, copy, copied),
    code,
  );
}

start().catch((error) => replace(main(), errorBox(error)));
