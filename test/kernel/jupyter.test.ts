/**
 * The kernel through the real Jupyter client: kernelspec installed by
 * `tunebook kernel install --prefix`, cells sent by jupyter_client, messages checked.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openStorage } from "../../tracker/storage/open.js";
import {
  displays,
  driveKernel,
  ensureBuilt,
  installKernelToTemp,
  plain,
  requireJupyter,
  type Step,
  type StepResult,
  streamText,
} from "./harness.js";

const notebookDir = mkdtempSync(join(tmpdir(), "tunebook-notebook-"));
const db = join(notebookDir, "kernel-test.db");
let prefix = "";
let results: StepResult[] = [];

const tuneBody = (study: string, extra: string, body: string[]) =>
  [`%%tune study=${study} storage="sqlite:${db}" ${extra}`.trimEnd(), ...body].join("\n");

// One kernel session, started in a folder outside the package, runs every step.
const steps: Record<string, Step> = {
  plain: { execute: "const answer: number = 20 + 22;\nanswer" },
  importPackage: { execute: `import { createStudy, Study } from "tunebook";\ntypeof createStudy + " " + (Study.name)` },
  objectiveError: {
    execute: tuneBody("boom", "trials=5", [`if (trial.number === 1) throw new RangeError("depth out of range");`, `return trial.number;`]),
  },
  afterError: { execute: `studies["boom"].name` },
  tune: {
    execute: tuneBody("quad", "trials=8 direction=minimize seed=1", [
      `const x = trial.suggestFloat("x", -3, 3);`,
      `await new Promise((resolve) => setTimeout(resolve, 80));`,
      `return (x - 1) ** 2;`,
    ]),
    timeout: 60,
  },
  studyLater: { execute: `const quadTrials = await studies["quad"].trials();\n[studies["quad"].name, quadTrials.length].join(":")` },
  severalObjectives: {
    execute: tuneBody("front", "trials=5 directions=maximize,minimize sampler=random seed=2", [
      `const trees = trial.suggestInt("trees", 1, 50);`,
      `return [1 - 1 / (trees + 1), trees];`,
    ]),
    timeout: 60,
  },
  frontLater: { execute: `(await studies["front"].bestTrials()).length + " on the front of " + studies["front"].directions.join(",")` },
  badDirections: { execute: tuneBody("baddir", "directions=maximise,minimize", [`return [1, 2];`]) },
  oneValueForTwo: { execute: tuneBody("typed-front", "trials=2 directions=maximize,minimize", [`return 0.5;`]) },
  badValue: { execute: tuneBody("bad", "trials=abc", [`(globalThis as any).ranBadCell = true;`, `return 1;`]) },
  unknownKey: { execute: "%%tune trails=3\nreturn 1;" },
  nothingRan: { execute: `String((globalThis as any).ranBadCell)` },
  typeError: {
    execute: tuneBody("typed", "trials=2", [`const x = trial.suggestFloat("x", 0, 1);`, `const label: string = x;`, `return x;`]),
  },
  interrupt: {
    execute: tuneBody("stopped", "trials=400", [
      `await new Promise((resolve) => setTimeout(resolve, 40));`,
      `return trial.suggestFloat("x", 0, 1);`,
    ]),
    interrupt_after_updates: 2,
    timeout: 120,
  },
  afterInterrupt: { execute: `(await studies["stopped"].trials()).filter((t) => t.state === "RUNNING").length` },
  abandon: {
    execute: tuneBody("abandoned", "trials=50", [`await new Promise((resolve) => setTimeout(resolve, 600));`, `return 1;`]),
    interrupt_after_updates: 1,
    interrupt_twice: true,
    timeout: 60,
  },
  afterAbandon: {
    execute: `await new Promise((resolve) => setTimeout(resolve, 1500));\n(await studies["abandoned"].trials()).map((t) => t.state).join(",")`,
  },
  complete: { complete: "%%tune trials=3\nreturn trial.sugg", cursor_pos: "%%tune trials=3\nreturn trial.sugg".length },
  inspect: { inspect: "%%tune trials=3\nreturn trial.number;", cursor_pos: "%%tune trials=3\nreturn tri".length },
  richSpec: {
    execute: `({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", title: "points", data: { values: [{ x: 1, y: 2 }, { x: 3, y: 1 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } })`,
  },
  richFrame: { execute: `import * as dfd from "danfojs-node";\nnew dfd.DataFrame({ a: [1, 2], b: ["x", "y"] })` },
  plainObject: { execute: `({ mark: "not a chart", n: 1 })` },
  tensorflow: { execute: `import * as tf from "@tensorflow/tfjs";\ntf.tensor([1, 2, 3]).sum().dataSync()[0]` },
};
const names = Object.keys(steps);
const result = (name: string): StepResult => results[names.indexOf(name)];

describe("the tunebook kernel under Jupyter", () => {
  let ready = false;
  before(() => {
    ensureBuilt();
  });
  after(() => {
    rmSync(notebookDir, { recursive: true, force: true });
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it("installs its kernelspec through jupyter kernelspec install", (t) => {
    if (!requireJupyter(t)) return;
    const installed = installKernelToTemp();
    prefix = installed.prefix;
    const spec = JSON.parse(readFileSync(join(prefix, "share", "jupyter", "kernels", "tunebook", "kernel.json"), "utf8"));
    assert.equal(spec.display_name, "TypeScript (tunebook)");
    assert.equal(spec.argv[0], process.execPath);
    assert.match(spec.argv[1], /\/dist\/kernel\/main\.js$/);
    assert.equal(spec.argv[2], "{connection_file}");
    results = driveKernel(installed.env, notebookDir, Object.values(steps));
    ready = true;
  });

  const check = (name: string, fn: (step: StepResult) => void | Promise<void>) =>
    it(name, async (t) => {
      if (!ready) return t.skip("no kernel session (see the first test)");
      await fn(result(name.split(":")[0]));
    });

  check("plain: a TypeScript cell runs and prints its value", (step) => {
    assert.equal(step.status, "ok");
    assert.equal(streamText(step, "stdout"), "42\n");
  });

  check("importPackage: a notebook outside the package imports tunebook", (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    assert.equal(streamText(step, "stdout"), "function Study\n");
  });

  check("tune: a %%tune cell updates one progress output in place and shows a summary", async (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    const shown = displays(step);
    const progressId = shown[0].content.transient?.display_id;
    assert.ok(progressId, "the progress output has a display id");
    const updates = shown.filter((m) => m.type === "update_display_data");
    assert.ok(updates.length >= 1, "progress arrives as update_display_data");
    assert.ok(updates.every((m) => m.content.transient?.display_id === progressId));
    assert.match(
      plain(updates.at(-1)!),
      /^Study quad: 8\/8 trials · best [\d.e-]+ \(trial \d+, minimize\) · last: trial 7 COMPLETE in [\d.]+ s · finished after/,
    );
    const summary = shown.filter((m) => m.type === "display_data" && m.content.transient?.display_id !== progressId);
    assert.match(plain(summary[0]), /Study quad \(minimize\): 8 trials — 8 complete/);
    assert.match(String(summary[0].content.data?.["text/html"]), /<table/);
    const history = summary[1].content.data!;
    assert.equal((history["application/vnd.vegalite.v5+json"] as { title: string }).title, "Optimization history — quad");
    assert.match(String(history["image/svg+xml"]), /^<svg/);

    const storage = openStorage(`sqlite:${db}`);
    try {
      const trials = await storage.getAllTrials(await storage.getStudyIdByName("quad"));
      assert.equal(trials.length, 8);
      assert.ok(trials.every((t) => t.state === "COMPLETE"));
      const best = trials.reduce((a, b) => (b.value! < a.value! ? b : a));
      assert.match(plain(summary[0]), new RegExp(`best trial\\s+${best.number}\\n`));
    } finally {
      await storage.close();
    }
  });

  check("studyLater: the study stays available to later cells as studies[name]", (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    assert.equal(streamText(step, "stdout"), "quad:8\n");
  });

  check("severalObjectives: a %%tune cell with directions= stores one value per objective", async (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    const updates = displays(step).filter((m) => m.type === "update_display_data");
    assert.match(plain(updates.at(-1)!), /^Study front: 5\/5 trials/);
    const storage = openStorage(`sqlite:${db}`);
    try {
      const id = await storage.getStudyIdByName("front");
      assert.deepEqual((await storage.getStudy(id)).directions, ["maximize", "minimize"]);
      const trials = await storage.getAllTrials(id);
      assert.equal(trials.length, 5);
      for (const t of trials) assert.deepEqual(t.values, [1 - 1 / ((t.params.trees as number) + 1), t.params.trees]);
      // Accuracy rises with size here, so no trial dominates another: all are on the front.
      assert.equal(streamText(result("frontLater"), "stdout"), `${trials.length} on the front of maximize,minimize\n`);
    } finally {
      await storage.close();
    }
  });

  check("badDirections: a bad direction is named, with the valid ones, before anything runs", (step) => {
    assert.equal(step.status, "error");
    assert.equal(
      streamText(step, "stderr"),
      'ValueError: %%tune: directions takes minimize or maximize for each objective, comma-separated (directions=maximize,minimize); direction 1 of "maximise,minimize" is "maximise". Did you mean "maximize"?\n',
    );
    assert.equal(displays(step).length, 0);
  });

  check("oneValueForTwo: a body returning one number for two objectives is a type error at its own line", (step) => {
    assert.equal(step.status, "error");
    assert.equal(streamText(step, "stderr"), "2:1 - Type 'number' is not assignable to type 'readonly number[]'.\n");
  });

  check("badValue: a bad magic argument is an error before anything runs", async (step) => {
    assert.equal(step.status, "error");
    assert.equal(streamText(step, "stderr"), 'ValueError: %%tune: trials must be an integer >= 1, got "abc".\n');
    assert.equal(displays(step).length, 0);
    assert.equal(streamText(result("nothingRan"), "stdout"), "undefined\n", "the body did not run");
    const storage = openStorage(`sqlite:${db}`);
    try {
      assert.ok(!(await storage.listStudies()).some((s) => s.name === "bad"), "no study was created");
    } finally {
      await storage.close();
    }
  });

  check("unknownKey: an unknown magic key names the closest one", (step) => {
    assert.equal(step.status, "error");
    assert.match(streamText(step, "stderr"), /^ValueError: %%tune: unknown option "trails"\. Did you mean "trials"\?/);
  });

  check("typeError: a type error in the body is reported at the body's own line", (step) => {
    assert.equal(step.status, "error");
    assert.equal(streamText(step, "stderr"), "3:7 - Type 'number' is not assignable to type 'string'.\n");
  });

  check("objectiveError: an error inside the objective fails the trial with a readable message", async (step) => {
    assert.equal(step.status, "error");
    const stderr = streamText(step, "stderr");
    assert.match(
      stderr,
      /^TrialFailedError: Trial 1 of study "boom" failed: RangeError: depth out of range\. It is recorded as FAIL; fix the objective/,
    );
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace of tunebook internals");
    const storage = openStorage(`sqlite:${db}`);
    try {
      const trials = await storage.getAllTrials(await storage.getStudyIdByName("boom"));
      assert.deepEqual(
        trials.map((t) => t.state),
        ["COMPLETE", "FAIL"],
      );
      assert.equal(trials[1].error, "RangeError: depth out of range");
    } finally {
      await storage.close();
    }
  });

  check("interrupt: an interrupt mid-study stops after the running trial is recorded", async (step) => {
    assert.equal(step.interrupted, true, "the driver sent the interrupt");
    assert.equal(step.status, "error", "the interrupted cell ends as an error, so run-all stops");
    const stderr = streamText(step, "stderr");
    assert.match(stderr, /Interrupt: no new trial starts/);
    assert.match(stderr, /Interrupted: the study stopped after its running trials were recorded/);
    const last = displays(step)
      .filter((m) => m.type === "update_display_data")
      .at(-1)!;
    const reported = /Interrupted: (\d+) trials? finished of 400 planned/.exec(plain(last));
    assert.ok(reported, plain(last));
    const finished = Number(reported[1]);
    assert.ok(finished >= 2 && finished < 400);
    const storage = openStorage(`sqlite:${db}`);
    try {
      const trials = await storage.getAllTrials(await storage.getStudyIdByName("stopped"));
      assert.equal(trials.filter((t) => t.state === "RUNNING").length, 0, "no RUNNING trial left behind");
      assert.equal(trials.filter((t) => t.state === "COMPLETE").length, finished, "every finished trial is on disk");
      assert.equal(trials.length, finished);
    } finally {
      await storage.close();
    }
    assert.equal(streamText(result("afterInterrupt"), "stdout"), "0\n");
  });

  check("afterError: a failed first %%tune cell still leaves studies to later cells", (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    assert.equal(streamText(step, "stdout"), "boom\n");
  });

  check("abandon: a second interrupt stops waiting; the running trial is still recorded, nothing leaks into later cells", (step) => {
    assert.equal(step.status, "error");
    const stderr = streamText(step, "stderr");
    assert.match(stderr, /Interrupt: no new trial starts/);
    assert.match(stderr, /Interrupted: the cell stopped waiting; what it started goes on in the background/);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    const later = result("afterAbandon");
    assert.equal(later.status, "ok", streamText(later, "stderr"));
    const states = streamText(later, "stdout").trim().split(",");
    assert.ok(states.length >= 1 && states.every((s) => s === "COMPLETE"), states.join(","));
    assert.equal(later.messages.filter((m) => m.type === "display_data").length, 0, "no summary shows up in the next cell");
  });

  check("complete: completion works inside a %%tune body", (step) => {
    assert.equal(step.status, "ok");
    const reply = step.reply as { matches: string[]; cursor_start: number; cursor_end: number };
    assert.ok(reply.matches.includes("suggestFloat"), reply.matches.join(","));
    const code = "%%tune trials=3\nreturn trial.sugg";
    assert.equal(code.slice(reply.cursor_start, reply.cursor_end), "sugg");
  });

  check("inspect: inspection works inside a %%tune body", (step) => {
    const reply = step.reply as { found: boolean; data: Record<string, string> };
    assert.equal(reply.found, true);
    assert.match(reply.data["text/plain"], /trial: Trial/);
  });

  check("richSpec: a Vega-Lite spec as the last expression draws as spec + SVG + text", (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    assert.equal(streamText(step, "stdout"), "");
    const [chart] = displays(step);
    assert.equal(chart.type, "display_data");
    const data = chart.content.data!;
    assert.equal((data["application/vnd.vegalite.v5+json"] as { title: string }).title, "points");
    assert.match(String(data["image/svg+xml"]), /^<svg/);
    assert.equal(data["text/plain"], "<Vega-Lite chart: points>");
  });

  check("richFrame: a DataFrame as the last expression shows as a table with its shape", (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    const [table] = displays(step);
    assert.match(String(table.content.data?.["text/html"]), /<table/);
    assert.match(plain(table), /2 rows × 2 columns$/);
  });

  check("plainObject: other objects still print as text", (step) => {
    assert.equal(step.status, "ok");
    assert.equal(displays(step).length, 0);
    assert.equal(streamText(step, "stdout"), "{ mark: 'not a chart', n: 1 }\n");
  });

  check("tensorflow: TensorFlow.js loads from any folder without its Node backend banner", (step) => {
    assert.equal(step.status, "ok", streamText(step, "stderr"));
    assert.equal(streamText(step, "stdout"), "6\n");
    assert.doesNotMatch(streamText(step, "stderr"), /TensorFlow\.js in Node\.js/);
  });
});
