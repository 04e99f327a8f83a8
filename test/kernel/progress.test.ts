import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import type { TrialRecord, TrialState } from "../../core/records.js";
import type { DisplayHandle, MimeBundle } from "../../kernel/display/output.js";
import { estimateSecondsLeft, formatDuration, ProgressDisplay, type ProgressState, progressBundle } from "../../kernel/display/progress.js";

function state(overrides: Partial<ProgressState> = {}): ProgressState {
  return {
    study: "rf",
    direction: "maximize",
    planned: 10,
    timeoutSeconds: null,
    done: 4,
    counts: { COMPLETE: 3, PRUNED: 1, FAIL: 0 },
    best: { value: 0.93125, number: 2 },
    last: { number: 3, state: "PRUNED", seconds: 1.25 },
    elapsedMs: 8000,
    status: "running",
    ...overrides,
  };
}

function trial(number: number, state: TrialState, value: number | null, seconds = 1): TrialRecord {
  const start = new Date(2024, 0, 1, 0, 0, 0);
  return {
    trialId: number + 1,
    number,
    state,
    params: {},
    distributions: {},
    value,
    values: value === null ? null : [value],
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: start,
    datetimeComplete: new Date(start.getTime() + seconds * 1000),
  };
}

describe("progress line", () => {
  it("shows done/planned, other states, best, last trial and ETA", () => {
    const text = progressBundle(state())["text/plain"];
    assert.equal(text, "Study rf: 4/10 trials (1 pruned) · best 0.93125 (trial 2, maximize) · last: trial 3 PRUNED in 1.3 s · ETA 12 s");
    const html = progressBundle(state())["text/html"] as string;
    assert.match(html, /<progress value="4" max="10"/);
    assert.match(html, /<b>rf<\/b>/);
  });

  it("estimates the time left from the average trial, capped by the time limit", () => {
    assert.equal(estimateSecondsLeft(state()), 12); // 8 s for 4 trials, 6 to go
    assert.equal(estimateSecondsLeft(state({ timeoutSeconds: 10 })), 2);
    assert.equal(estimateSecondsLeft(state({ planned: null })), null);
    assert.equal(estimateSecondsLeft(state({ planned: null, timeoutSeconds: 30 })), 22);
    assert.equal(estimateSecondsLeft(state({ done: 0 })), null);
  });

  it("says how the run ended, with its note, and escapes HTML", () => {
    const bundle = progressBundle(state({ status: "interrupted", study: "<a&b>", note: "Interrupted: 4 trials finished." }));
    assert.match(bundle["text/plain"], /interrupted after 8\.0 s\nInterrupted: 4 trials finished\.$/);
    assert.match(bundle["text/html"] as string, /&lt;a&amp;b&gt;/);
    assert.match(
      progressBundle(state({ best: null, last: null, done: 0, counts: { COMPLETE: 0, PRUNED: 0, FAIL: 0 } }))["text/plain"],
      /0\/10 trials · no complete trial yet · elapsed 8\.0 s/,
    );
  });

  it("formats durations for people", () => {
    assert.equal(formatDuration(0.42), "0.4 s");
    assert.equal(formatDuration(42), "42 s");
    assert.equal(formatDuration(200), "3 min 20 s");
    assert.equal(formatDuration(3900), "1 h 5 min");
  });
});

describe("ProgressDisplay", () => {
  function recorder(): { handle: DisplayHandle; sent: { bundle: MimeBundle; final: boolean }[] } {
    const sent: { bundle: MimeBundle; final: boolean }[] = [];
    return { sent, handle: { update: (bundle, options) => sent.push({ bundle, final: options?.final ?? false }) } };
  }

  it("throttles updates: a burst of trials sends one update now and one when the interval ends", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const { handle, sent } = recorder();
    const progress = new ProgressDisplay(
      handle,
      { study: "s", direction: "minimize", planned: 100, timeoutSeconds: null, best: null },
      250,
    );
    assert.equal(sent.length, 1, "the initial line");
    t.mock.timers.tick(300);
    for (let i = 0; i < 50; i++) progress.onTrial(trial(i, "COMPLETE", 100 - i));
    assert.equal(sent.length, 2, "the first trial after a quiet interval shows at once");
    assert.match(sent[1].bundle["text/plain"], /1\/100 trials/);
    t.mock.timers.tick(249);
    assert.equal(sent.length, 2);
    t.mock.timers.tick(1);
    assert.equal(sent.length, 3, "the latest state shows when the interval ends");
    assert.match(sent[2].bundle["text/plain"], /50\/100 trials · best 51 \(trial 49, minimize\)/);
    const final = progress.finish("done");
    assert.equal(sent.length, 4);
    assert.equal(sent[3].final, true);
    assert.equal(final.done, 50);
    progress.onTrial(trial(50, "COMPLETE", 0));
    t.mock.timers.tick(1000);
    assert.equal(sent.length, 4, "nothing after finish");
  });

  it("counts states and keeps the best by direction", () => {
    mock.timers.reset();
    const { handle, sent } = recorder();
    const progress = new ProgressDisplay(
      handle,
      { study: "s", direction: "maximize", planned: null, timeoutSeconds: null, best: { value: 0.5, number: 0 } },
      0,
    );
    progress.onTrial(trial(1, "COMPLETE", 0.4));
    progress.onTrial(trial(2, "FAIL", null));
    progress.onTrial(trial(3, "COMPLETE", 0.7, 2));
    progress.onTrial(trial(4, "PRUNED", 0.1));
    const final = progress.finish("interrupted", "stopped");
    assert.deepEqual(final.counts, { COMPLETE: 2, PRUNED: 1, FAIL: 1 });
    assert.deepEqual(final.best, { value: 0.7, number: 3 });
    assert.deepEqual(final.last, { number: 4, state: "PRUNED", seconds: 1 });
    assert.match(sent.at(-1)!.bundle["text/plain"], /^Study s: 4 trials \(1 pruned, 1 fail\) · best 0\.7 \(trial 3, maximize\)/);
  });

  it("never takes an infeasible trial as best", () => {
    const { handle } = recorder();
    const progress = new ProgressDisplay(handle, { study: "s", direction: "maximize", planned: null, timeoutSeconds: null, best: null }, 0);
    progress.onTrial({ ...trial(0, "COMPLETE", 0.9), systemAttrs: { constraints: [1] } });
    progress.onTrial({ ...trial(1, "COMPLETE", 0.6), systemAttrs: { constraints: [0] } });
    assert.deepEqual(progress.finish("done").best, { value: 0.6, number: 1 });
  });

  it("with several objectives shows the size of the feasible Pareto front, kept up to date", () => {
    const { handle, sent } = recorder();
    const objectives = { directions: ["maximize", "minimize"] as const, front: [[-0.8, 10]] };
    const progress = new ProgressDisplay(
      handle,
      {
        study: "s",
        direction: "maximize",
        planned: 5,
        timeoutSeconds: null,
        best: null,
        objectives: { ...objectives, directions: [...objectives.directions] },
      },
      0,
    );
    const two = (number: number, values: number[], constraints?: number[]): TrialRecord => ({
      ...trial(number, "COMPLETE", null),
      value: null,
      values,
      systemAttrs: constraints ? { constraints } : {},
    });
    progress.onTrial(two(1, [0.9, 20])); // joins the front
    progress.onTrial(two(2, [0.7, 30])); // dominated
    progress.onTrial(two(3, [0.99, 1], [2])); // infeasible
    progress.onTrial(two(4, [0.9, 5])); // dominates trial 1 and the first point
    const final = progress.finish("done");
    assert.deepEqual(final.objectives!.front, [[-0.9, 5]]);
    assert.deepEqual(objectives.front, [[-0.8, 10]], "the given front is copied, not changed");
    assert.match(sent.at(-1)!.bundle["text/plain"], /· Pareto front 1 trial \(maximize, minimize\) ·/);
  });
});
