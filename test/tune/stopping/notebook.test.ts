// `tune` (the form of a %%tune cell) with a stop criterion: the progress line ends with the reason.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { ValueError } from "../../../core/errors.js";
import { type MimeBundle, setPublisher } from "../../../kernel/display/output.js";
import { progressBundle } from "../../../kernel/display/progress.js";
import { parseMagicLine, transformTuneCell } from "../../../kernel/magic.js";
import { tune } from "../../../kernel/notebook-tune.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { setVerbosity } from "../../../tune/log.js";
import { STOP_REASON_ATTR } from "../../../tune/stopping/index.js";
import { flatObjective } from "./helpers.js";

setVerbosity("silent");
let sent: { bundle: MimeBundle; displayId?: string }[] = [];
beforeEach(() => {
  sent = [];
  setPublisher((bundle, { displayId }) => sent.push({ bundle, displayId }));
});
afterEach(() => setPublisher(null));

const lastProgress = () => sent.filter((s) => s.displayId !== undefined).at(-1)!.bundle;

describe("tune with stop", () => {
  test('stop: "converged" ends the progress line with why it stopped', async () => {
    const storage = new InMemoryStorage();
    const study = await tune(flatObjective(1), {
      study: "flat",
      trials: 100,
      direction: "maximize",
      sampler: "random",
      seed: 3,
      storage,
      stop: "converged",
    });
    const reason = (await study.summary()).systemAttrs[STOP_REASON_ATTR] as string;
    assert.match(reason, /^converged: regret bound/);
    const done = (await study.trials()).length;
    const line = lastProgress();
    assert.match(
      line["text/plain"],
      new RegExp(`^Study flat: ${done}/100 trials .* · stopped after [^·]+ because converged: regret bound [^·]+ after ${done} trials$`),
    );
    assert.ok((line["text/html"] as string).includes(reason.replace("<", "&lt;")));
  });

  test("stop: { noImprovementTrials } too; a run that ends otherwise says finished", async () => {
    const storage = new InMemoryStorage();
    await tune((t) => t.suggestFloat("x", 0, 1) + t.number, {
      study: "rising",
      trials: 20,
      seed: 1,
      storage,
      stop: { noImprovementTrials: 3 },
    });
    assert.match(
      lastProgress()["text/plain"],
      /4\/20 trials .* stopped after .* because no improvement in 3 trials since the best \(trial 0, value [\d.]+\)$/,
    );
    await tune((t) => -t.number, { study: "falling", trials: 5, storage, stop: { noImprovementTrials: 3 } });
    assert.match(lastProgress()["text/plain"], / · finished after [^·]+$/);
  });

  test("a bad stop option is refused before a study is created", async () => {
    const storage = new InMemoryStorage();
    await assert.rejects(
      tune((t) => t.suggestFloat("x", 0, 1), { study: "typo", storage, stop: "convergd" as "converged" }),
      (e: Error) =>
        e instanceof ValueError && e.message.startsWith("tune: unknown stop") && e.message.includes('Did you mean "converged"?'),
    );
    assert.deepEqual(await storage.listStudies(), []);
  });

  test("missing fold scores: the progress line says so, not that a trial failed", async () => {
    const storage = new InMemoryStorage();
    await assert.rejects(
      tune((t) => t.suggestFloat("x", 0, 1), { study: "nofolds", storage, stop: "converged" }),
      ValueError,
    );
    const text = lastProgress()["text/plain"];
    assert.match(text, /Stopped: optimize: stop "converged" compares/);
    assert.doesNotMatch(text, /recorded as FAIL/);
  });

  test("the progress line's wording", () => {
    const state = {
      study: "s",
      direction: "minimize" as const,
      planned: 50,
      timeoutSeconds: null,
      done: 21,
      counts: { COMPLETE: 21, PRUNED: 0, FAIL: 0 },
      best: { value: 0.5, number: 3 },
      last: null,
      elapsedMs: 2500,
      status: "done" as const,
    };
    assert.equal(
      progressBundle({ ...state, stopReason: "converged: regret bound 0.003 < error 0.004 after 21 trials" })["text/plain"],
      "Study s: 21/50 trials · best 0.5 (trial 3, minimize) · stopped after 2.5 s because converged: regret bound 0.003 < error 0.004 after 21 trials",
    );
    assert.equal(progressBundle(state)["text/plain"], "Study s: 21/50 trials · best 0.5 (trial 3, minimize) · finished after 2.5 s");
  });

  test("%%tune takes stop=converged and stop=noImprovementTrials:<n>, and says what else it takes", () => {
    const names = { samplers: ["random"], pruners: [] };
    assert.deepEqual(parseMagicLine("%%tune trials=50 stop=converged", names), { trials: 50, stop: "converged" });
    assert.deepEqual(parseMagicLine("%%tune stop=noImprovementTrials:30", names), { stop: { noImprovementTrials: 30 } });
    const cell = transformTuneCell("%%tune stop=noImprovementTrials:5\nreturn trial.suggestFloat('x', 0, 1);", names);
    assert.ok(cell.code.includes('{"stop":{"noImprovementTrials":5}}'));
    for (const [bad, fragment] of [
      ["convergd", 'Did you mean "converged"?'],
      ["noImprovementTrials:0", "stop=noImprovementTrials:<n> must be an integer >= 1"],
      ["noImprovement:3", 'Did you mean "noImprovementTrials"?'],
    ]) {
      assert.throws(
        () => parseMagicLine(`%%tune stop=${bad}`, names),
        (e: Error) => e instanceof ValueError && e.message.includes(fragment),
      );
    }
  });
});
