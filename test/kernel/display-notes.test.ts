import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundlesFor } from "../../kernel/display/show.js";
import { InMemoryStorage } from "../../tracker/storage/memory.js";
import { createStudy } from "../../tune/create-study.js";

const NOTE = "## Findings\n\nWider `x` helped; see [the run log](https://example.com/log).\n\n<script>alert(1)</script>";

describe("show(study) with a note and tags", () => {
  it("shows the tags as chips and the note as Markdown under the study's table, and both as text", async () => {
    const study = await createStudy({ name: "noted", storage: new InMemoryStorage(), direction: "maximize", seed: 3 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 4 });
    await study.addTags("v2-features", "baseline");
    await study.setNote(NOTE);
    const bundles = await bundlesFor(study);
    const [table] = bundles;
    const text = table["text/plain"];
    assert.match(text, /^Study noted \(maximize\): 4 trials/);
    assert.ok(
      text.endsWith(
        "\ntags: baseline, v2-features\nnote:\n  ## Findings\n\n  Wider `x` helped; see [the run log](https://example.com/log).\n\n  <script>alert(1)</script>",
      ),
      text,
    );
    const html = table["text/html"] as string;
    assert.ok(html.indexOf("<table") < html.indexOf("tunebook-tags"), "under the table");
    assert.deepEqual(
      [...html.matchAll(/<span class="tunebook-tag"[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]),
      ["baseline", "v2-features"],
    );
    assert.match(html, /<div class="tunebook-note"[^>]*><h2>Findings<\/h2>/);
    assert.match(html, /<a href="https:\/\/example\.com\/log"[^>]*>the run log<\/a>/);
    assert.match(html, /<code>x<\/code>/);
    assert.doesNotMatch(html, /<script/, "the note's own HTML is escaped");
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.equal(bundles.length, 3, "the table, the history and the importance, as without a note");
  });

  it("shows tags without a note, a note without tags, and neither line on a study with none", async () => {
    const storage = new InMemoryStorage();
    const tagged = await createStudy({ name: "tagged", storage, seed: 1 });
    await tagged.addTags("<b>");
    const [onlyTags] = await bundlesFor(tagged);
    assert.match(onlyTags["text/plain"], /No COMPLETE trial yet\.\ntags: <b>$/);
    assert.match(onlyTags["text/html"] as string, />&lt;b&gt;<\/span>/);
    assert.doesNotMatch(onlyTags["text/html"] as string, /tunebook-note/);

    const noted = await createStudy({ name: "noted", storage, seed: 1 });
    await noted.setNote("plain words");
    const [onlyNote] = await bundlesFor(noted);
    assert.match(onlyNote["text/plain"], /No COMPLETE trial yet\.\nnote:\n {2}plain words$/);
    assert.doesNotMatch(onlyNote["text/html"] as string, /tunebook-tag/);

    const plain = await createStudy({ name: "plain", storage, seed: 1 });
    const [none] = await bundlesFor(plain);
    assert.equal(none["text/plain"], "Study plain (minimize): 0 trials\nNo COMPLETE trial yet.");
    await noted.setNote("");
    assert.doesNotMatch((await bundlesFor(noted))[0]["text/plain"], /note:/, "a cleared note is none");
  });

  it("shows them under the Pareto front of a study with several objectives", async () => {
    const study = await createStudy({ name: "front", storage: new InMemoryStorage(), directions: ["maximize", "minimize"], seed: 2 });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat("x", 0, 1);
        return [x, x * x];
      },
      { nTrials: 4 },
    );
    await study.addTags("pareto");
    await study.setNote("*kept* the knee");
    const [table] = await bundlesFor(study);
    assert.match(table["text/plain"], /Pareto front: /);
    assert.match(table["text/plain"], /\ntags: pareto\nnote:\n {2}\*kept\* the knee$/);
    assert.match(table["text/html"] as string, /<em>kept<\/em> the knee/);
  });
});
