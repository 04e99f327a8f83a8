/**
 * The kernel's answers beyond executing cells, through the real Jupyter client
 * (test/kernel/drive_protocol.py): comms and the progress comm, interrupts by
 * message, history, the cells' compiler options (tsconfig.json, %tsconfig),
 * ES-module-only packages, and completion and inspection of tunebook's API.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import ts from "typescript";
import { openStorage } from "../../tracker/storage/open.js";
import { ensureBuilt, PYTHON, plain, requireJupyter, root, streamText } from "./harness.js";

interface Message {
  type: string;
  content: Record<string, unknown> & {
    data?: Record<string, unknown>;
    name?: string;
    text?: string;
    comm_id?: string;
    target_name?: string;
  };
}
interface Result {
  status: string;
  msg_type?: string;
  reply: Record<string, unknown>;
  messages: Message[];
  interrupted?: boolean;
  interrupt_reply?: { msg_type: string; content: Record<string, unknown> };
}
type Step = Record<string, unknown>;

const work = mkdtempSync(join(tmpdir(), "tunebook-protocol-"));
const plainDir = join(work, "plain");
const strictDir = join(work, "strict");
const db = join(plainDir, "protocol.db");
let prefix = "";
let env: NodeJS.ProcessEnv = {};

/** Writes files under `dir` (paths relative to it). */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Packages next to the notebook: ES-module-only ones, and a dual one that `require` still serves. */
const PACKAGES: Record<string, string> = {
  // Only an `import` entry, types only through `exports`: neither `require` nor Node-10 type lookup finds it.
  "node_modules/esm-only-pkg/package.json": JSON.stringify({
    name: "esm-only-pkg",
    type: "module",
    exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js" } },
  }),
  "node_modules/esm-only-pkg/dist/index.js":
    'export const greeting = "hello from esm";\nexport default function double(x) { return 2 * x; }\n',
  "node_modules/esm-only-pkg/dist/index.d.ts":
    "export declare const greeting: string;\nexport default function double(x: number): number;\n",
  // Top-level await: `require` refuses it even where it loads ES modules.
  "node_modules/tla-pkg/package.json": JSON.stringify({ name: "tla-pkg", type: "module", main: "index.js" }),
  "node_modules/tla-pkg/index.js": "const value = await Promise.resolve(7);\nexport { value };\n",
  "node_modules/tla-pkg/index.d.ts": "export declare const value: number;\n",
  // A `require` entry of its own: left to `require`.
  "node_modules/dual-pkg/package.json": JSON.stringify({
    name: "dual-pkg",
    type: "module",
    types: "./index.d.ts",
    exports: { ".": { require: "./index.cjs", import: "./index.js" } },
  }),
  "node_modules/dual-pkg/index.js": 'export const flavor = "esm";\n',
  "node_modules/dual-pkg/index.cjs": 'exports.flavor = "cjs";\n',
  "node_modules/dual-pkg/index.d.ts": "export declare const flavor: string;\n",
};

const tuneCell = (study: string, trials: number, sleepMs: number) =>
  [
    `%%tune study=${study} storage="sqlite:${db}" trials=${trials} sampler=random seed=3`,
    `await new Promise((resolve) => setTimeout(resolve, ${sleepMs}));`,
    `return trial.suggestFloat("x", 0, 1);`,
  ].join("\n");

const NULL_TO_NUMBER = "Type 'null' is not assignable to type 'number'.";
const importStudy = `import { createStudy } from "tunebook";\nconst study = await createStudy({ storage: ":memory:" });`;
const tuneCompletion = "%%tune trials=3\nconst x = trial.suggest";

// One kernel in a folder without tsconfig.json (kernelspec with interrupt_mode "message").
const plainSteps: Record<string, Step> = {
  looseByDefault: { execute: "const loose: number = null;\nString(loose)" },
  strictOn: { execute: '%tsconfig {"strict": true}\nconst strictNull: number = null;' },
  showOptions: { execute: "%tsconfig" },
  misspelled: { execute: '%tsconfig {"stict": true}' },
  strictOff: { execute: '%tsconfig {"strict": false}\nconst looseAgain: number = null;\nString(looseAgain)' },
  esm: {
    execute:
      'import double, { greeting } from "esm-only-pkg";\nimport { value } from "tla-pkg";\nimport { flavor } from "dual-pkg";\n[greeting, double(21), value, flavor].join(" ")',
  },
  esmLater: { execute: "greeting.toUpperCase()" },
  silent: { execute: "const hiddenFromHistory = 1;", store_history: false },
  importStudy: { execute: importStudy },
  completeStudy: { complete: "study.opt", cursor_pos: "study.opt".length },
  completeTrial: { complete: tuneCompletion, cursor_pos: tuneCompletion.length },
  inspectCreateStudy: { inspect: "createStudy({})", cursor_pos: "createSt".length },
  commInfoEmpty: { comm_info: null },
  tuneFallback: { execute: tuneCell("fallback", 3, 10), timeout: 60 },
  announce: { comm_open: "tunebook.progress", comm_id: "frontend-progress", data: {} },
  unknownTarget: { comm_open: "no.such.target", comm_id: "stray", data: {} },
  commInfoAnnounced: { comm_info: "tunebook.progress" },
  tuneComm: { execute: tuneCell("via-comm", 4, 10), timeout: 60 },
  commInfoAfterRun: { comm_info: null },
  tuneCommRefused: { execute: tuneCell("comm-refused", 5, 200), close_progress_comm: true, timeout: 60 },
  commInfoAfterRefusal: { comm_info: null },
  interruptByControl: { execute: tuneCell("stopped-by-control", 300, 40), interrupt_after: 2, interrupt_by: "control", timeout: 120 },
  withdraw: { comm_close: "frontend-progress" },
  commInfoWithdrawn: { comm_info: null },
  interruptByClient: { execute: tuneCell("stopped-by-client", 300, 40), interrupt_after: 2, interrupt_by: "client", timeout: 120 },
  interruptBySignal: { execute: tuneCell("stopped-by-signal", 300, 40), interrupt_after: 2, interrupt_by: "signal", timeout: 120 },
  historyTail: { history: { hist_access_type: "tail", n: 3, raw: true, output: false } },
  historyRange: { history: { hist_access_type: "range", session: 0, start: 1, stop: 0, raw: true, output: true } },
  historyMagic: { history: { hist_access_type: "search", pattern: "%tsconfig*", raw: true, output: false } },
  historyTranslated: { history: { hist_access_type: "search", pattern: "*$tunebook_tune*", raw: false, output: false, n: 2 } },
  historyTypedTune: { history: { hist_access_type: "search", pattern: "*$tunebook_tune*", raw: true, output: false } },
  historyHidden: { history: { hist_access_type: "search", pattern: "*hiddenFromHistory*", raw: true, output: false } },
  historyBad: { history: { hist_access_type: "sideways", raw: true, output: false } },
};

// One kernel in a folder whose tsconfig.json says strict.
const strictSteps: Record<string, Step> = {
  strictFromFile: { execute: "const a: number = null;" },
  relaxed: { execute: '%tsconfig {"strict": false}\nconst b: number = null;\nString(b)' },
  reset: { execute: "%tsconfig reset\nconst c: number = null;" },
  show: { execute: "%tsconfig" },
  lowTarget: { execute: '%tsconfig {"target": "ES5"}' },
};

let plainResults: Record<string, Result> = {};
let strictResults: Record<string, Result> = {};

function drive(cwd: string, steps: Record<string, Step>): Record<string, Result> {
  const run = spawnSync(PYTHON, [join(root, "test", "kernel", "drive_protocol.py")], {
    input: JSON.stringify({ kernel: "tunebook", cwd, steps: Object.values(steps) }),
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`the kernel driver failed (${run.status}):\n${run.stderr}`);
  const out = JSON.parse(run.stdout) as { steps: Result[]; interrupt_mode: string };
  assert.equal(out.interrupt_mode, "message", "the kernel manager read interrupt_mode from the kernelspec");
  return Object.fromEntries(Object.keys(steps).map((name, i) => [name, out.steps[i]]));
}

const commMessages = (step: Result) => step.messages.filter((m) => m.type.startsWith("comm_"));
const progressDisplays = (step: Result, study: string) =>
  step.messages.filter(
    (m) => (m.type === "display_data" || m.type === "update_display_data") && plain(m as never).startsWith(`Study ${study}: `),
  );
const executionCount = (step: Result) => step.reply.execution_count as number;

async function storedStates(study: string): Promise<string[]> {
  const storage = openStorage(`sqlite:${db}`);
  try {
    return (await storage.getAllTrials(await storage.getStudyIdByName(study))).map((t) => t.state);
  } finally {
    await storage.close();
  }
}

/** The doc comment of `createStudy`, as written in its source. */
function createStudyDoc(): string {
  const path = join(root, "tune", "create-study.ts");
  const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const declaration = file.statements.find((s) => ts.isFunctionDeclaration(s) && s.name?.text === "createStudy");
  assert.ok(declaration, "createStudy is declared in tune/create-study.ts");
  const [doc] = ts.getJSDocCommentsAndTags(declaration);
  assert.ok(doc && ts.isJSDoc(doc) && typeof doc.comment === "string", "createStudy has a doc comment");
  return doc.comment as string;
}

describe("the tunebook kernel's protocol under Jupyter", () => {
  let ready = false;
  before(() => ensureBuilt());
  after(() => {
    rmSync(work, { recursive: true, force: true });
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it("installs a kernelspec with interrupt_mode message and runs two kernel sessions", (t) => {
    if (!requireJupyter(t)) return;
    prefix = mkdtempSync(join(tmpdir(), "tunebook-jupyter-"));
    execFileSync(process.execPath, [
      join(root, "bin", "tunebook.js"),
      "kernel",
      "install",
      "--prefix",
      prefix,
      "--interrupt-mode",
      "message",
    ]);
    const spec = JSON.parse(readFileSync(join(prefix, "share", "jupyter", "kernels", "tunebook", "kernel.json"), "utf8"));
    assert.equal(spec.interrupt_mode, "message");
    env = { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"), PYDEVD_DISABLE_FILE_VALIDATION: "1" };
    writeTree(plainDir, PACKAGES);
    writeTree(strictDir, { "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext" } }) });
    plainResults = drive(plainDir, plainSteps);
    strictResults = drive(strictDir, strictSteps);
    ready = true;
  });

  const check = (name: string, fn: () => void | Promise<void>) =>
    it(name, async (t) => {
      if (!ready) return t.skip("no kernel session (see the first test)");
      await fn();
    });
  const p = (name: keyof typeof plainSteps) => plainResults[name];
  const s = (name: keyof typeof strictSteps) => strictResults[name];

  describe("compiler options", () => {
    check("without a tsconfig.json cells compile as tslab's default (not strict)", () => {
      assert.equal(p("looseByDefault").status, "ok", streamText(p("looseByDefault") as never, "stderr"));
      assert.equal(streamText(p("looseByDefault") as never, "stdout"), "null\n");
    });

    check('%tsconfig {"strict": true} makes the same code an error, at the line after the magic', () => {
      assert.equal(p("strictOn").status, "error");
      assert.equal(streamText(p("strictOn") as never, "stderr"), `2:7 - ${NULL_TO_NUMBER}\n`);
    });

    check("%tsconfig alone says what is in force and where it comes from", () => {
      const text = streamText(p("showOptions") as never, "stdout");
      assert.match(text, /Cells compile with \{"strict":true\}/);
      assert.match(text, /no tsconfig\.json in the notebook's folder or above it/);
      assert.match(text, /%tsconfig: strict/);
    });

    check("a misspelled option is refused with the closest name", () => {
      assert.equal(p("misspelled").status, "error");
      assert.match(
        streamText(p("misspelled") as never, "stderr"),
        /^ValueError: %tsconfig: "stict" is not an option cells take\. Did you mean "strict"\? Options: strict, noImplicitAny,/,
      );
    });

    check('%tsconfig {"strict": false} lifts it again', () => {
      assert.equal(p("strictOff").status, "ok", streamText(p("strictOff") as never, "stderr"));
      assert.equal(streamText(p("strictOff") as never, "stdout"), "null\n");
    });

    check("the notebook folder's tsconfig.json makes cells strict", () => {
      assert.equal(s("strictFromFile").status, "error");
      assert.equal(streamText(s("strictFromFile") as never, "stderr"), `1:7 - ${NULL_TO_NUMBER}\n`);
    });

    check("%tsconfig overrides the file, and reset goes back to it", () => {
      assert.equal(s("relaxed").status, "ok", streamText(s("relaxed") as never, "stderr"));
      assert.equal(streamText(s("relaxed") as never, "stdout"), "null\n");
      assert.equal(s("reset").status, "error");
      assert.equal(streamText(s("reset") as never, "stderr"), `2:7 - ${NULL_TO_NUMBER}\n`);
      const shown = streamText(s("show") as never, "stdout");
      assert.match(shown, /Cells compile with \{"strict":true\}/);
      assert.ok(shown.includes(`${join(strictDir, "tsconfig.json")}: strict`), shown);
    });

    check("a target without async functions is refused", () => {
      assert.equal(s("lowTarget").status, "error");
      assert.match(streamText(s("lowTarget") as never, "stderr"), /cells need target ES2017 or later .*got "ES5"/);
    });
  });

  describe("ES-module-only packages", () => {
    check(
      "import from packages require cannot load (an import-only entry, top-level await); a dual package keeps its require entry",
      () => {
        assert.equal(p("esm").status, "ok", streamText(p("esm") as never, "stderr"));
        assert.equal(streamText(p("esm") as never, "stdout"), "hello from esm 42 7 cjs\n");
      },
    );

    check("their bindings stay available to later cells", () => {
      assert.equal(p("esmLater").status, "ok", streamText(p("esmLater") as never, "stderr"));
      assert.equal(streamText(p("esmLater") as never, "stdout"), "HELLO FROM ESM\n");
    });
  });

  describe("completion and inspection of tunebook's API", () => {
    check("study.opt completes to optimize", () => {
      assert.equal(p("importStudy").status, "ok", streamText(p("importStudy") as never, "stderr"));
      const reply = p("completeStudy").reply as { matches: string[]; cursor_start: number; cursor_end: number };
      assert.equal(p("completeStudy").msg_type, "complete_reply");
      assert.ok(reply.matches.includes("optimize"), reply.matches.join(","));
      assert.equal("study.opt".slice(reply.cursor_start, reply.cursor_end), "opt");
    });

    check("trial.suggest inside a %%tune body completes to the suggest methods", () => {
      const reply = p("completeTrial").reply as { matches: string[]; cursor_start: number; cursor_end: number };
      for (const name of ["suggestFloat", "suggestInt", "suggestCategorical"])
        assert.ok(reply.matches.includes(name), reply.matches.join(","));
      assert.ok(
        reply.matches.every((m) => m.startsWith("suggest")),
        reply.matches.join(","),
      );
      assert.equal(tuneCompletion.slice(reply.cursor_start, reply.cursor_end), "suggest");
    });

    check("inspecting createStudy shows its signature and doc comment", () => {
      const reply = p("inspectCreateStudy").reply as { found: boolean; data: Record<string, string> };
      assert.equal(reply.found, true);
      assert.match(reply.data["text/plain"], /createStudy\(options\?: CreateStudyOptions\): Promise<Study>/);
      assert.ok(reply.data["text/plain"].includes(createStudyDoc()), reply.data["text/plain"]);
    });
  });

  describe("comms", () => {
    check("comm_info_request gets a comm_info_reply, empty before any comm", () => {
      assert.equal(p("commInfoEmpty").msg_type, "comm_info_reply");
      assert.deepEqual(p("commInfoEmpty").reply, { status: "ok", comms: {} });
    });

    check("without a progress comm, %%tune shows its progress line updated in place and opens no comm", () => {
      const step = p("tuneFallback");
      assert.equal(step.status, "ok", streamText(step as never, "stderr"));
      assert.deepEqual(commMessages(step), []);
      const shown = progressDisplays(step, "fallback");
      assert.equal(shown[0].type, "display_data");
      assert.match(plain(shown.at(-1) as never), /^Study fallback: 3\/3 trials/);
    });

    check("a comm the frontend opens to tunebook.progress is listed; one to an unknown target is closed at once", () => {
      assert.deepEqual(commMessages(p("announce")), []);
      assert.deepEqual(p("commInfoAnnounced").reply, {
        status: "ok",
        comms: { "frontend-progress": { target_name: "tunebook.progress" } },
      });
      assert.deepEqual(commMessages(p("unknownTarget")), [{ type: "comm_close", content: { comm_id: "stray", data: {} } }]);
    });

    check("with it, %%tune's progress goes through a comm of its own: open, updates, final state, close", async () => {
      const step = p("tuneComm");
      assert.equal(step.status, "ok", streamText(step as never, "stderr"));
      assert.deepEqual(progressDisplays(step, "via-comm"), [], "no progress line in the cell's output");
      const messages = commMessages(step);
      const [open] = messages;
      assert.equal(open.type, "comm_open");
      assert.equal(open.content.target_name, "tunebook.progress");
      const id = open.content.comm_id;
      assert.ok(messages.every((m) => m.content.comm_id === id));
      assert.deepEqual(
        messages.map((m) => m.type),
        ["comm_open", ...messages.slice(1, -1).map(() => "comm_msg"), "comm_close"],
      );
      const first = open.content.data as { state: { study: string; done: number; planned: number; status: string }; final: boolean };
      assert.deepEqual(
        [first.state.study, first.state.done, first.state.planned, first.state.status, first.final],
        ["via-comm", 0, 4, "running", false],
      );
      const last = messages.at(-2)!.content.data as {
        state: { done: number; status: string; best: { value: number; number: number } };
        bundle: Record<string, string>;
        final: boolean;
      };
      assert.equal(last.final, true);
      assert.deepEqual([last.state.done, last.state.status], [4, "done"]);
      assert.match(last.bundle["text/plain"], /^Study via-comm: 4\/4 trials/);
      assert.match(last.bundle["text/html"], /<progress value="4" max="4"/);
      const storage = openStorage(`sqlite:${db}`);
      try {
        const trials = await storage.getAllTrials(await storage.getStudyIdByName("via-comm"));
        const best = trials.reduce((a, b) => (b.value! < a.value! ? b : a));
        assert.deepEqual(last.state.best, { value: best.value, number: best.number });
      } finally {
        await storage.close();
      }
      assert.deepEqual(p("commInfoAfterRun").reply, { status: "ok", comms: { "frontend-progress": { target_name: "tunebook.progress" } } });
    });

    check("a run whose comm the frontend closes goes on as the display line", () => {
      const step = p("tuneCommRefused");
      assert.equal(step.status, "ok", streamText(step as never, "stderr"));
      assert.deepEqual(
        commMessages(step).map((m) => m.type),
        ["comm_open"],
        "nothing more on the closed comm",
      );
      const shown = progressDisplays(step, "comm-refused");
      assert.equal(shown[0].type, "display_data");
      assert.match(plain(shown.at(-1) as never), /^Study comm-refused: 5\/5 trials/);
      assert.deepEqual(p("commInfoAfterRefusal").reply, {
        status: "ok",
        comms: { "frontend-progress": { target_name: "tunebook.progress" } },
      });
    });

    check("once the frontend closes its comm, progress is the display line again", () => {
      assert.deepEqual(p("commInfoWithdrawn").reply, { status: "ok", comms: {} });
      assert.deepEqual(commMessages(p("interruptByClient")), []);
      assert.ok(progressDisplays(p("interruptByClient"), "stopped-by-client").length >= 2);
    });
  });

  describe("interrupts", () => {
    const finishedOf = (step: Result, study: string): number => {
      const comm = commMessages(step).filter((m) => m.type === "comm_msg");
      const text = comm.length
        ? (comm.at(-1)!.content.data as { bundle: Record<string, string> }).bundle["text/plain"]
        : plain(progressDisplays(step, study).at(-1) as never);
      const reported = /Interrupted: (\d+) trials? finished of 300 planned/.exec(text);
      assert.ok(reported, text);
      return Number(reported[1]);
    };
    const checkStopped = async (step: Result, study: string) => {
      assert.equal(step.interrupted, true, "the driver interrupted the cell");
      assert.equal(step.status, "error", "the interrupted cell ends as an error, so run-all stops");
      assert.match(streamText(step as never, "stderr"), /Interrupt: no new trial starts/);
      const finished = finishedOf(step, study);
      assert.ok(finished >= 1 && finished < 300, String(finished));
      const states = await storedStates(study);
      assert.equal(states.length, finished, "every finished trial is in the SQLite file, and no other");
      assert.ok(
        states.every((state) => state === "COMPLETE"),
        states.join(","),
      );
    };

    check("an interrupt_request on the control channel gets an interrupt_reply and stops the study, its trials kept", async () => {
      const step = p("interruptByControl");
      assert.deepEqual(step.interrupt_reply, { msg_type: "interrupt_reply", content: { status: "ok" } });
      await checkStopped(step, "stopped-by-control");
    });

    check("the Jupyter client's own interrupt, by message as the kernelspec says, does the same", async () => {
      await checkStopped(p("interruptByClient"), "stopped-by-client");
    });

    check("SIGINT still works", async () => {
      await checkStopped(p("interruptBySignal"), "stopped-by-signal");
    });
  });

  describe("history", () => {
    const stored = () =>
      Object.entries(plainSteps)
        .filter(([name, step]) => "execute" in step && step.store_history !== false && p(name).reply.execution_count !== undefined)
        .map(([name, step]) => ({ line: executionCount(p(name)), source: step.execute as string, name }));

    check("tail: the last n cells as typed, numbered by execution count", () => {
      assert.equal(p("historyTail").msg_type, "history_reply");
      const expected = stored()
        .slice(-3)
        .map((c) => [1, c.line, c.source]);
      assert.deepEqual(p("historyTail").reply, { status: "ok", history: expected });
    });

    check("range: every cell of this session with its printed value", () => {
      const history = p("historyRange").reply.history as [number, number, [string, string | null]][];
      assert.deepEqual(
        history.map(([session, line, [input]]) => [session, line, input]),
        stored().map((c) => [1, c.line, c.source]),
      );
      const esmLine = executionCount(p("esm"));
      assert.deepEqual(history.find(([, line]) => line === esmLine)?.[2][1], "hello from esm 42 7 cjs");
      assert.equal(history.find(([, line]) => line === executionCount(p("strictOn")))?.[2][1], null, "a failed cell printed nothing");
    });

    check("search: a glob over the cells, as typed or as run", () => {
      assert.deepEqual(
        (p("historyMagic").reply.history as [number, number, string][]).map(([, , input]) => input),
        stored()
          .filter((c) => c.source.startsWith("%tsconfig"))
          .map((c) => c.source),
      );
      const translated = p("historyTranslated").reply.history as [number, number, string][];
      const tuneLines = stored()
        .filter((c) => c.source.startsWith("%%tune"))
        .map((c) => c.line);
      assert.deepEqual(
        translated.map(([, line]) => line),
        tuneLines.slice(-2),
      );
      assert.ok(translated.every(([, , input]) => input.includes("$tunebook_tune(async (trial)") && !input.startsWith("%%tune")));
      assert.deepEqual(p("historyTypedTune").reply.history, [], "the cells as typed hold no such call");
    });

    check("a cell run with store_history false is not recorded", () => {
      assert.equal(p("silent").status, "ok");
      assert.deepEqual(p("historyHidden").reply, { status: "ok", history: [] });
    });

    check("a malformed request gets an error reply naming the bad value", () => {
      assert.equal(p("historyBad").msg_type, "history_reply");
      assert.equal(p("historyBad").reply.status, "error");
      assert.match(String(p("historyBad").reply.evalue), /hist_access_type must be "tail", "range" or "search", got "sideways"/);
    });
  });
});
