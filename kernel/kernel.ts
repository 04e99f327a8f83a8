import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { format } from "node:util";
import type * as TslabConverter from "tslab/dist/converter.js";
import type * as TslabExecutor from "tslab/dist/executor.js";
import type { ConverterSet, Executor } from "tslab/dist/executor.js";
import type * as TslabJupyter from "tslab/dist/jupyter.js";
import { TunebookError } from "../core/errors.js";
import { setRunningCell } from "../core/notebook-cell.js";
import { PRUNER_NAMES } from "../tune/pruners/index.js";
import { SAMPLER_NAMES } from "../tune/samplers/registry.js";
import { closeStorages } from "../tune/storage.js";
import { CellCompilerOptions, compileCellsWith, rebuildableConverters, withoutTsconfigMagic, withTsconfigMagic } from "./cell-tsconfig.js";
import { comms } from "./comms.js";
import { type MimeBundle, setPublisher } from "./display/output.js";
import { isRichValue, show } from "./display/show.js";
import { EsmImports, type ImportScanner, overlayEsmTypes } from "./esm-imports.js";
import { CellHistory, recordingHistory } from "./history.js";
import { abandonRuns, requestInterrupt, takeCellInterrupted } from "./interrupt.js";
import { cellMagicName, isTuneCell, type MagicNames, transformTuneCell } from "./magic.js";
import { packageRoot } from "./package-root.js";
import { registerProgressTarget } from "./progress-comm.js";
import { extendProtocol } from "./protocol.js";
import { isNoise } from "./quiet.js";
import { type CellRequire, type CompilerSystem, cellRequire, overlayPackages } from "./resolution.js";
import { type CellParser, expandingShorthands } from "./shorthand.js";

const require = createRequire(import.meta.url);
const MAGIC_NAMES: MagicNames = { samplers: SAMPLER_NAMES, pruners: PRUNER_NAMES };
/** The `studies` registry, as later cells see it. */
const DECLARE_STUDIES = 'import { studies } from "tunebook";';

/**
 * The tunebook kernel: tslab's TypeScript executor and Jupyter protocol handling,
 * with `%%tune` cells, `tunebook` importable from any folder, rich display
 * through mime bundles, and interrupts (by signal or message) that stop a study
 * gently; also comms, history, the notebook's tsconfig.json and `%tsconfig`, and
 * imports of ES-module-only packages.
 */
export async function startKernel(connectionFile: string): Promise<void> {
  const root = packageRoot();
  const cwd = process.cwd();
  const tslabRequire = createRequire(require.resolve("tslab/package.json"));
  // The compiler tslab uses; patched before its first converter reads any file.
  const ts = tslabRequire("@tslab/typescript-for-tslab") as CellParser & ImportScanner & { sys: CompilerSystem };
  overlayPackages(ts.sys, cwd, root);
  overlayEsmTypes(ts.sys);
  // Before tslab's modules load the compiler: they get it with the cells' options.
  const cellOptions = new CellCompilerOptions(tslabRequire("@tslab/typescript-for-tslab"), cwd);
  compileCellsWith(tslabRequire, () => cellOptions.current());

  const jupyter = tslabRequire("./dist/jupyter.js") as typeof TslabJupyter;
  const { createConverter } = tslabRequire("./dist/converter.js") as typeof TslabConverter;
  const { createExecutor } = tslabRequire("./dist/executor.js") as typeof TslabExecutor;

  const pending: Promise<void>[] = [];
  const history = new CellHistory((source) =>
    isTuneCell(source) ? transformTuneCell(source, MAGIC_NAMES, { check: false }).code : source,
  );
  const converters = rebuildableConverters(() => lazyConverters(createConverter, ts));
  const executor = createExecutor(cwd, converters, { log: richLog(pending, history), error: reportError });
  const esm = new EsmImports(ts, [cwd, root], (id) => id === "tunebook" || id.startsWith("tunebook/"));
  const scope = globalThis as unknown as { __tslab__: { require: CellRequire } };
  scope.__tslab__.require = esm.require(cellRequire(scope.__tslab__.require, root));
  esm.preloadFor(executor);
  wrapExecute(executor, pending);
  withTsconfigMagic(executor, cellOptions, () => converters.rebuild());

  setPublisher((bundle: MimeBundle, { displayId, update }) => {
    const write = jupyter.lastWriteDisplayData;
    if (!write) return;
    write(
      { data: bundle as unknown as Record<string, string>, metadata: {}, transient: displayId ? { display_id: displayId } : {} },
      update,
    );
  });

  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const handler = new (tunebookHandler(jupyter.JupyterHandlerImpl, version, () => warmUp(converters)))(executor, false);
  const server = new jupyter.ZmqServer(handler, connectionFile);

  // A SIGINT, or an interrupt_request message: the same.
  const interrupt = () => {
    if (requestInterrupt()) {
      console.error("Interrupt: no new trial starts; waiting for the running trial(s) to be recorded. Interrupt again to stop waiting.");
      return;
    }
    abandonRuns();
    executor.interrupt();
  };
  const protocol = extendProtocol(server, handler, { comms, history, interrupt, runningWriter: () => jupyter.lastWriteDisplayData });
  recordingHistory(executor, history, () => protocol.runningRequest());
  registerProgressTarget();
  process.on("SIGINT", interrupt);
  process.on("uncaughtException", (error) => console.error("Uncaught exception:", error));
  process.on("unhandledRejection", (reason) => console.error("Unhandled promise rejection:", reason));
  await server.init();
}

/**
 * How a cell's last expression prints: a study, a DataFrame, a trials list or a
 * Vega-Lite spec as rich output (`show`), anything else as Node prints it. Rich
 * output may take a moment (an SVG to render); the cell waits for it in `pending`.
 */
function richLog(pending: Promise<void>[], history: CellHistory): (...args: unknown[]) => void {
  return (...args) => {
    if (args.length === 1 && isRichValue(args[0])) pending.push(show(args[0]));
    else {
      console.log(...args);
      history.setOutput(format(...args));
    }
  };
}

/**
 * How a cell's errors print: a tunebook error by its message alone (it says what to
 * fix; tunebook's stack frames would bury it), anything else as Node prints it.
 */
function reportError(...args: unknown[]): void {
  const [first] = args;
  if (args.length === 1 && first instanceof TunebookError) process.stderr.write(`${first.name}: ${first.message}\n`);
  else if (args.length === 1 && isInterruption(first)) process.stderr.write(`${interruptionMessage(first)}\n`);
  else console.error(...args);
}

/** The errors tslab's executor (and Node's vm) raise for an interrupt. */
function isInterruption(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  return error.message === "Interrupted asynchronously" || (error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
}

function interruptionMessage(error: Error): string {
  if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") return "Interrupted.";
  return "Interrupted: the cell stopped waiting; what it started goes on in the background (a running trial finishes and is recorded).";
}

/**
 * Reads tunebook's type declarations (and those of danfo.js and TensorFlow.js they
 * refer to) into the compiler once the kernel has answered its first request, while
 * the user reads the notebook: the first cell that imports tunebook then skips
 * most of that work. Nothing runs; a cell arriving meanwhile just waits for it.
 */
function warmUp(converters: ConverterSet): void {
  try {
    converters.node.convert("", 'import "tunebook";\nimport "tunebook/tracker";\n');
  } catch {
    // A failed warm-up only means the first real cell does the work.
  }
}

/** tslab's converters, created on first use (the browser one is rarely needed); cells run with shorthand properties spelled out. */
function lazyConverters(create: typeof TslabConverter.createConverter, parser: CellParser): ConverterSet {
  let node: ReturnType<typeof create> | undefined;
  let browser: ReturnType<typeof create> | undefined;
  return {
    get node() {
      node ??= expandingShorthands(create({ isJS: false, isBrowser: false }), parser);
      return node;
    },
    get browser() {
      browser ??= create({ isJS: false, isBrowser: true });
      return browser;
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

/**
 * Cell magics are rewritten before tslab compiles the cell; a bad magic line is
 * reported before anything runs. A cell whose study was interrupted ends as an
 * error, so "run all" stops there.
 */
function wrapExecute(executor: Executor, pending: Promise<void>[]): void {
  const execute = executor.execute.bind(executor);
  let studiesDeclared = false;
  executor.execute = async (source: string) => {
    takeCellInterrupted();
    let code = source;
    const magic = cellMagicName(source);
    // A study the cell creates or continues keeps its source in its provenance.
    setRunningCell(magic === "tune" ? source : null);
    if (magic !== null) {
      if (magic !== "tune") {
        console.error(`Unknown cell magic %%${magic}: the tunebook kernel knows %%tune (on the first line of a cell).`);
        return false;
      }
      try {
        code = transformTuneCell(source, MAGIC_NAMES).code;
      } catch (error) {
        if (!(error instanceof TunebookError)) throw error;
        console.error(`${error.name}: ${error.message}`);
        return false;
      }
      // Declared on its own first, so later cells know `studies` even when this
      // cell fails (its own declarations are kept only when it succeeds).
      if (!studiesDeclared) studiesDeclared = await execute(DECLARE_STUDIES);
    }
    let ok = await execute(code);
    for (const shown of pending.splice(0)) {
      try {
        await shown;
      } catch (error) {
        reportError(error);
        ok = false;
      }
    }
    if (takeCellInterrupted()) {
      if (ok) console.error("Interrupted: the study stopped after its running trials were recorded (see above).");
      return false;
    }
    return ok;
  };
}

type HandlerClass = typeof TslabJupyter.JupyterHandlerImpl;

/**
 * tslab's handler with tunebook's identity, `%%tune` cells understood by completion
 * and inspection (positions shifted past the rewritten first line), known noise
 * (the TensorFlow.js backend banner) kept out of cell output, and `onFirstRequest`
 * (the compiler warm-up) started once the kernel has answered its first request.
 */
function tunebookHandler(Base: HandlerClass, version: string, onFirstRequest: () => void): HandlerClass {
  let answered = false;
  return class TunebookHandler extends Base {
    override handleKernel(): ReturnType<InstanceType<HandlerClass>["handleKernel"]> {
      if (!answered) {
        answered = true;
        // After this reply is on its way, so the client sees a ready kernel at once.
        setTimeout(onFirstRequest, 100);
      }
      const reply = super.handleKernel();
      reply.implementation = "tunebook";
      reply.implementation_version = version;
      reply.banner = `TypeScript (tunebook ${version}) — hyperparameter tuning with %%tune cells`;
      reply.help_links = [{ text: "tunebook", url: "https://github.com/tunebook/tunebook#readme" }];
      return reply;
    }

    override handleIsComplete(
      req: Parameters<InstanceType<HandlerClass>["handleIsComplete"]>[0],
    ): ReturnType<InstanceType<HandlerClass>["handleIsComplete"]> {
      if (cellMagicName(req.code) !== null) return { status: "complete" };
      return super.handleIsComplete({ ...req, code: withoutTsconfigMagic(req.code) });
    }

    override handleComplete(
      req: Parameters<InstanceType<HandlerClass>["handleComplete"]>[0],
    ): ReturnType<InstanceType<HandlerClass>["handleComplete"]> {
      const edit = editView(req.code, req.cursor_pos);
      if (!edit) return super.handleComplete({ ...req, code: withoutTsconfigMagic(req.code) });
      if (edit.position === null)
        return { matches: [], cursor_start: req.cursor_pos, cursor_end: req.cursor_pos, metadata: {}, status: "ok" };
      const reply = super.handleComplete({ code: edit.code, cursor_pos: edit.position });
      return { ...reply, cursor_start: reply.cursor_start - edit.shift, cursor_end: reply.cursor_end - edit.shift };
    }

    override handleInspect(
      req: Parameters<InstanceType<HandlerClass>["handleInspect"]>[0],
    ): ReturnType<InstanceType<HandlerClass>["handleInspect"]> {
      const edit = editView(req.code, req.cursor_pos);
      if (!edit) return super.handleInspect({ ...req, code: withoutTsconfigMagic(req.code) });
      if (edit.position === null) return { status: "ok", found: false, data: {}, metadata: {} };
      return super.handleInspect({ ...req, code: edit.code, cursor_pos: edit.position });
    }

    override createWriteToIopub(
      name: "stdout" | "stderr",
      writeStream: (name: string, text: string) => void,
    ): (buffer: string | Uint8Array, encoding?: string) => boolean {
      const write = super.createWriteToIopub(name, writeStream);
      return (buffer, encoding) => {
        const text = typeof buffer === "string" ? buffer : Buffer.from(buffer).toString("utf8");
        return isNoise(text) ? true : write(buffer, encoding);
      };
    }

    override handleShutdown(
      req: Parameters<InstanceType<HandlerClass>["handleShutdown"]>[0],
    ): ReturnType<InstanceType<HandlerClass>["handleShutdown"]> {
      void closeStorages();
      return super.handleShutdown(req);
    }
  };
}

/**
 * A `%%tune` cell as the compiler sees it, for completion and inspection: the
 * cursor moved by the first line's rewrite, or null when it is on the magic line.
 */
function editView(source: string, cursor: number): { code: string; position: number | null; shift: number } | null {
  if (!isTuneCell(source)) return null;
  const firstLineEnd = source.includes("\n") ? source.indexOf("\n") : source.length;
  const { code, firstLineShift } = transformTuneCell(source, MAGIC_NAMES, { check: false });
  return { code, position: cursor <= firstLineEnd ? null : cursor + firstLineShift, shift: firstLineShift };
}
