import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { closest, show, ValueError } from "../core/errors.js";
import type { StudyDirection, StudySummary, TrialRecord } from "../core/records.js";
import { printable, printableLines } from "../core/terminal.js";
import type { TrialFilter } from "../core/trial-filter/ast.js";
import { TrialFilterError } from "../core/trial-filter/errors.js";
import { parseTrialFilter } from "../core/trial-filter/parser.js";
import { packageRoot } from "../kernel/package-root.js";
import { trialsToCsv, trialsToJson } from "../tracker/export.js";
import { openStorage } from "../tracker/storage/open.js";
import { paretoOptimalTrials } from "../tune/best-trials.js";
import { checkNote, checkTags } from "../tune/notes.js";
import {
  type CommandLine,
  choiceOption,
  flag,
  integerOption,
  type ParsedArgs,
  parseArgs,
  positiveNumberOption,
  stringOption,
  UsageError,
} from "./args.js";
import { diffText, readDiff } from "./diff.js";
import { describeFailure } from "./failure.js";
import { noteCommand, tagCommand } from "./notes.js";
import { checkOutFile, writeOutFile } from "./out-file.js";
import { STUDY_COLUMNS, studyRow, trialRows } from "./study-tables.js";
import { formatTable } from "./table.js";
import { parseSortOption, readTrialPage } from "./trial-query.js";

interface Command extends CommandLine {
  summary: string;
  usage: string;
  run(args: ParsedArgs): Promise<number>;
}

const MAX_PORT = 65535;

/** The compiler checks that every command name has an implementation. */
type CommandName = "demo" | "studies" | "trials" | "export" | "note" | "tag" | "diff" | "ui" | "kernel" | "worker";

const COMMANDS: Record<CommandName, Command> = {
  demo: {
    summary:
      "tune three algorithms on a bundled dataset, log them to ./tunebook.db and show where to compare them (--ui serves the comparison right away)",
    usage: "tunebook demo [--storage <url>] [--trials <n>] [--ui] [--port 5177]",
    values: ["storage", "trials", "port"],
    flags: ["ui"],
    async run(args) {
      const storage = stringOption(args, "storage");
      const trials = integerOption(args, "trials", 1);
      const port = integerOption(args, "port", 0, MAX_PORT);
      if (port !== undefined && !flag(args, "ui"))
        throw new UsageError("--port applies only with --ui, which serves the comparison on it.");
      const { runDemo } = await import("../examples/demo.js");
      const { comparePath } = await runDemo({ storage, trials });
      if (flag(args, "ui")) await serveUntilStopped({ storage, port }, comparePath);
      return 0;
    },
  },
  studies: {
    summary: "list the studies in a storage",
    usage: "tunebook studies [--storage <url>] [--json]",
    values: ["storage"],
    flags: ["json"],
    async run(args) {
      const storage = await openStorage(stringOption(args, "storage"), { readOnly: true, mustExist: true });
      let studies: StudySummary[];
      const fronts = new Map<number, number>();
      try {
        studies = await storage.listStudies();
        // A study with several objectives has a Pareto front where others have a best value.
        for (const s of studies) {
          if (s.directions.length > 1)
            fronts.set(s.studyId, paretoOptimalTrials(await storage.getAllTrials(s.studyId), s.directions).length);
        }
      } finally {
        await storage.close();
      }
      if (flag(args, "json")) {
        const listed = studies.map((s) => (fronts.has(s.studyId) ? { ...s, paretoFrontSize: fronts.get(s.studyId) } : s));
        process.stdout.write(`${printableLines(JSON.stringify(listed, null, 2))}\n`);
        return 0;
      }
      if (studies.length === 0) {
        say(`No studies in ${storage.url}.`);
        return 0;
      }
      console.log(
        formatTable(
          STUDY_COLUMNS,
          studies.map((s) => studyRow(s, fronts.get(s.studyId) ?? null)),
        ),
      );
      return 0;
    },
  },
  trials: {
    summary: 'print the trials of a study, or those a filter matches (see the README\'s "Filtering trials")',
    usage:
      'tunebook trials <study> [--storage <url>] [--where "params.k > 5 and state = COMPLETE"] [--sort "value desc"] [--limit <n>] [--format table|csv|json]',
    operands: ["study name"],
    values: ["storage", "where", "sort", "limit", "format"],
    async run(args) {
      const format = choiceOption(args, "format", ["table", "csv", "json"] as const) ?? "table";
      const whereText = stringOption(args, "where");
      const sortText = stringOption(args, "sort");
      let where: TrialFilter | undefined;
      try {
        where = whereText === undefined ? undefined : parseTrialFilter(whereText);
      } catch (error) {
        if (!(error instanceof TrialFilterError)) throw error;
        // The filter and a caret under the problem, on lines of their own.
        console.error(printableLines(`tunebook trials: --where: ${error.message}`));
        return 2;
      }
      const query = {
        ...(where !== undefined ? { where } : {}),
        ...(sortText !== undefined ? { orderBy: parseSortOption(sortText) } : {}),
        ...(args.options.has("limit") ? { limit: integerOption(args, "limit", 0) } : {}),
      };
      const { trials, total, directions, hint } = await readTrialPage(stringOption(args, "storage"), args.positional[0], query);
      if (hint) console.error(printable(hint));
      if (format === "table") {
        const { columns, rows } = trialRows(trials, directions);
        console.log(formatTable(columns, rows));
        if (trials.length < total) console.error(`${trials.length} of ${total} matching trials shown.`);
      } else {
        const text = format === "csv" ? trialsToCsv(trials, { objectives: directions.length }) : trialsToJson(trials);
        process.stdout.write(format === "json" || process.stdout.isTTY ? printableLines(text) : text);
      }
      return 0;
    },
  },
  export: {
    summary: "write a study's trials as CSV or JSON",
    usage: "tunebook export <study> [--storage <url>] [--format csv|json] [--out <file>]",
    operands: ["study name"],
    values: ["storage", "format", "out"],
    async run(args) {
      const format = choiceOption(args, "format", ["csv", "json"] as const) ?? "csv";
      const out = stringOption(args, "out");
      if (out !== undefined) checkOutFile(out, `trials.${format}`);
      const { trials, directions } = await readStudyTrials(args, args.positional[0]);
      const text = format === "csv" ? trialsToCsv(trials, { objectives: directions.length }) : trialsToJson(trials);
      if (out !== undefined) writeOutFile(out, text);
      // JSON takes escapes for its control characters losslessly; CSV keeps them raw for a pipe or a file.
      else process.stdout.write(format === "json" || process.stdout.isTTY ? printableLines(text) : text);
      return 0;
    },
  },
  note: {
    summary: 'print or set the Markdown note of a study, or of one of its trials ("" clears it)',
    usage: 'tunebook note <study> ["markdown"] [--trial <number>] [--storage <url>]',
    operands: ["study name"],
    rest: "note",
    values: ["trial", "storage"],
    async run(args) {
      const [study, ...text] = args.positional;
      if (text.length > 1)
        throw new UsageError(
          `the note is one argument, got ${text.length}; quote it: tunebook note ${show(study)} ${show(text.join(" "))}.`,
        );
      const markdown = text.length === 0 ? undefined : checkNote("note", text[0]);
      const trial = integerOption(args, "trial", 0);
      await noteCommand({ storage: stringOption(args, "storage"), study, trial }, markdown);
      return 0;
    },
  },
  tag: {
    summary: "print a study's tags, or add (--remove: remove) some, to find it by in the tracker UI",
    usage: "tunebook tag <study> [<tag>...] [--remove] [--storage <url>]",
    operands: ["study name"],
    rest: "tag",
    values: ["storage"],
    flags: ["remove"],
    async run(args) {
      const [study, ...given] = args.positional;
      const tags = checkTags("tag", given);
      if (flag(args, "remove") && tags.length === 0)
        throw new UsageError(`--remove needs the tags to remove: tunebook tag ${show(study)} <tag>... --remove.`);
      await tagCommand(stringOption(args, "storage"), study, flag(args, "remove") ? { remove: tags } : { add: tags });
      return 0;
    },
  },
  diff: {
    summary: "why two studies differ: search space, engine, code, versions, machine, data and notebook cell",
    usage: "tunebook diff <studyA> <studyB> [--storage <url>] [--json]",
    operands: ["study name", "second study name"],
    values: ["storage"],
    flags: ["json"],
    async run(args) {
      const { diff, sampled } = await readDiff(stringOption(args, "storage"), args.positional[0], args.positional[1]);
      for (const line of sampled) console.error(printable(line));
      if (flag(args, "json")) process.stdout.write(`${printableLines(JSON.stringify(diff, null, 2))}\n`);
      else console.log(diffText(diff));
      return 0;
    },
  },
  ui: {
    summary: "open the tracker UI: a local, read-only web server over a storage",
    usage: "tunebook ui [--storage <url>] [--port 5177] [--host 127.0.0.1] [--artifacts <dir>]",
    values: ["storage", "port", "host", "artifacts"],
    async run(args) {
      await serveUntilStopped({
        storage: stringOption(args, "storage"),
        port: integerOption(args, "port", 0, MAX_PORT),
        host: stringOption(args, "host"),
        artifacts: stringOption(args, "artifacts"),
      });
      return 0;
    },
  },
  kernel: {
    summary: 'install the Jupyter kernel "TypeScript (tunebook)": TypeScript cells, %%tune cells, Vega-Lite output',
    usage: "tunebook kernel install [--user | --prefix <dir>] [--interrupt-mode signal|message]",
    operands: ["subcommand (install)"],
    values: ["prefix", "interrupt-mode"],
    flags: ["user"],
    async run(args) {
      const [subcommand] = args.positional;
      if (subcommand !== "install") {
        const hint = closest(subcommand, ["install"]);
        throw new UsageError(
          `unknown subcommand ${show(subcommand)}.${hint ? ` Did you mean ${show(hint)}?` : " The only one is install."}`,
        );
      }
      const prefix = stringOption(args, "prefix");
      if (flag(args, "user") && prefix !== undefined) throw new UsageError("give --user or --prefix <dir>, not both.");
      if (prefix !== undefined && !existsSync(prefix))
        throw new ValueError(
          `--prefix ${show(prefix)} does not exist; give the prefix of an existing environment (what \`python3 -c "import sys; print(sys.prefix)"\` prints in it).`,
        );
      const { installKernel } = await import("../kernel/install.js");
      const interruptMode = choiceOption(args, "interrupt-mode", ["signal", "message"] as const);
      const installed = installKernel({ user: flag(args, "user"), prefix, interruptMode });
      say(`Installed the Jupyter kernel ${show(installed.name)} (${installed.spec.display_name}) in ${installed.directory}.`);
      return 0;
    },
  },
  worker: {
    summary: "run trials of a shared study from an objective module, until its budget is spent (run it on every core and machine)",
    usage:
      "tunebook worker <script> --study <name> [--storage <url>] [--trials <n>] [--export <name>] [--sampler <name>] [--seed <n>] [--pruner <name>] [--direction minimize|maximize] [--timeout <seconds>] [--retry-failed <n>] [--heartbeat <seconds>] [--grace <seconds>]",
    values: [
      "study",
      "storage",
      "trials",
      "export",
      "sampler",
      "seed",
      "pruner",
      "direction",
      "timeout",
      "retry-failed",
      "heartbeat",
      "grace",
    ],
    operands: ["objective module"],
    async run(args) {
      const script = args.positional[0];
      const study = stringOption(args, "study");
      if (!study) throw new UsageError("--study <name> is required: every worker of one study gives the same name.");
      const { SAMPLER_NAMES } = await import("../tune/samplers/registry.js");
      const { PRUNER_NAMES } = await import("../tune/pruners/index.js");
      const options = {
        exportName: stringOption(args, "export"),
        totalTrials: integerOption(args, "trials", 1),
        timeoutSeconds: positiveNumberOption(args, "timeout"),
        sampler: choiceOption(args, "sampler", SAMPLER_NAMES),
        seed: integerOption(args, "seed"),
        pruner: choiceOption(args, "pruner", PRUNER_NAMES),
        direction: choiceOption(args, "direction", ["minimize", "maximize"] as const),
        retryFailedTrials: integerOption(args, "retry-failed"),
        heartbeatSeconds: positiveNumberOption(args, "heartbeat") ?? 10,
        graceSeconds: positiveNumberOption(args, "grace"),
      };
      const { runWorker } = await import("../tune/worker.js");
      const storage = stringOption(args, "storage") ?? process.env.TUNEBOOK_STORAGE ?? "./tunebook.db";
      const result = await runWorker({ script, study, storage, ...options }, (trial) => say(trialLine(trial)));
      say(`worker done: ${result.trialsRun} trials run here, stopped by ${result.stoppedBy}.`);
      return 0;
    },
  },
};

/**
 * Runs the `tunebook` command; returns the process exit code. Every error is one line on
 * stderr (exit code 2 for a command line it cannot read, 1 otherwise); `TUNEBOOK_DEBUG=1`
 * lets an unexpected error through with its stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreClosedStdout();
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    printHelp();
    return name === undefined ? 1 : 0;
  }
  if (name === "--version" || name === "-v") {
    console.log(packageVersion());
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    const hint = closest(name, Object.keys(COMMANDS));
    console.error(
      printable(
        `tunebook: unknown command ${show(name)}.${hint ? ` Did you mean ${show(hint)}?` : ""} Run \`tunebook help\` for the list.`,
      ),
    );
    return 2;
  }
  const command = COMMANDS[name as CommandName];
  const options = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (options.includes("--help") || options.includes("-h")) {
    console.log(`${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(parseArgs(name, rest, command));
  } catch (error) {
    if (process.env.TUNEBOOK_DEBUG === "1") throw error;
    const failure = describeFailure(name, error);
    console.error(failure.line);
    return failure.exitCode;
  }
}

/** One line of output, with the control characters of the names it quotes made visible. */
function say(line: string): void {
  console.log(printable(line));
}

/** A reader that goes away (`tunebook export big | head`) is no error: the rest of the output is dropped. */
function ignoreClosedStdout(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
  });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Serves the tracker UI until Ctrl+C; `path` is the page to point at. */
async function serveUntilStopped(
  options: { storage?: string; port?: number; host?: string; artifacts?: string },
  path = "/",
): Promise<void> {
  const { startServer } = await import("../tracker/server/start.js");
  const server = await startServer(options);
  say(`tunebook ui: showing ${server.storage.url} at ${new URL(path, server.url).href} (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
}

function printHelp(): void {
  console.log("tunebook — hyperparameter tuning for TypeScript\n\nCommands:");
  for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(10)} ${c.summary}\n  ${"".padEnd(10)} ${c.usage}`);
  console.log(`  ${"--version".padEnd(10)} print the version`);
  console.log(
    "\nStorage URLs: sqlite:<path>, <path>.db, postgres://user@host:port/db, :memory:. Default: $TUNEBOOK_STORAGE, else ./tunebook.db.",
  );
}

/** A study's trials and directions from the `--storage` given (which must exist: reading never creates a database). */
async function readStudyTrials(args: ParsedArgs, name: string): Promise<{ trials: TrialRecord[]; directions: StudyDirection[] }> {
  const storage = await openStorage(stringOption(args, "storage"), { readOnly: true, mustExist: true });
  try {
    const studyId = await storage.getStudyIdByName(name);
    const { directions } = await storage.getStudy(studyId);
    return { trials: await storage.getAllTrials(studyId), directions };
  } finally {
    await storage.close();
  }
}

/** What a worker prints for each finished trial: its value, or its values with several objectives. */
function trialLine(trial: TrialRecord): string {
  if (trial.values !== null && trial.values.length > 1) return `trial ${trial.number} ${trial.state} [${trial.values.join(", ")}]`;
  return `trial ${trial.number} ${trial.state}${trial.value === null ? "" : ` ${trial.value}`}`;
}
