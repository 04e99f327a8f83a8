import { writeFileSync } from "node:fs";
import { closest, show, TunebookError, ValueError } from "../core/errors.js";
import type { StudyDirection, StudySummary, TrialRecord } from "../core/records.js";
import { trialsToCsv, trialsToJson } from "../tracker/export.js";
import { openStorage } from "../tracker/storage/open.js";
import type { PrunerName } from "../tune/pruners/index.js";
import type { SamplerName } from "../tune/samplers/registry.js";
import { optionalInt, optionalNumber, type ParsedArgs, parseArgs, stringOption } from "./args.js";
import { formatTable } from "./table.js";

interface Command {
  summary: string;
  usage: string;
  values?: readonly string[];
  flags?: readonly string[];
  run(args: ParsedArgs): Promise<number>;
}

/** The compiler checks that every command name has an implementation. */
type CommandName = "demo" | "studies" | "trials" | "export" | "ui" | "kernel" | "worker";

const COMMANDS: Record<CommandName, Command> = {
  demo: {
    summary:
      "tune three algorithms on a bundled dataset, log them to ./tunebook.db and show where to compare them (--ui serves the comparison right away)",
    usage: "tunebook demo [--storage <url>] [--trials <n>] [--ui] [--port 5177]",
    values: ["storage", "trials", "port"],
    flags: ["ui"],
    async run(args) {
      const { runDemo } = await import("../examples/demo.js");
      const storage = stringOption(args, "storage");
      const { comparePath } = await runDemo({ storage, trials: optionalInt("demo", args, "trials") });
      if (args.options.ui) await serveUntilStopped({ storage, port: optionalInt("demo", args, "port") }, comparePath);
      return 0;
    },
  },
  studies: {
    summary: "list the studies in a storage",
    usage: "tunebook studies [--storage <url>] [--json]",
    values: ["storage"],
    flags: ["json"],
    async run(args) {
      const storage = await openStorage(stringOption(args, "storage"), { mustExist: true });
      const studies = await storage.listStudies();
      await storage.close();
      if (args.options.json) {
        process.stdout.write(`${JSON.stringify(studies, null, 2)}\n`);
        return 0;
      }
      if (studies.length === 0) {
        console.log(`No studies in ${storage.url}.`);
        return 0;
      }
      console.log(
        formatTable(
          ["experiment", "study", "direction", "complete", "pruned", "fail", "running", "best", "last activity"],
          studies.map(studyRow),
        ),
      );
      return 0;
    },
  },
  trials: {
    summary: "print the trials of a study",
    usage: "tunebook trials <study> [--storage <url>]",
    values: ["storage"],
    async run(args) {
      const trials = await readStudyTrials(args, requireOne("trials", args, "study name"));
      const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
      console.log(
        formatTable(
          ["number", "state", "value", ...paramNames],
          trials.map((t) => [t.number, t.state, t.value, ...paramNames.map((p) => (p in t.params ? t.params[p] : ""))]),
        ),
      );
      return 0;
    },
  },
  export: {
    summary: "write a study's trials as CSV or JSON",
    usage: "tunebook export <study> [--storage <url>] [--format csv|json] [--out <file>]",
    values: ["storage", "format", "out"],
    async run(args) {
      const name = requireOne("export", args, "study name");
      const format = stringOption(args, "format") ?? "csv";
      if (format !== "csv" && format !== "json")
        throw new ValueError(`tunebook export: --format must be csv or json, got ${show(format)}.`);
      const trials = await readStudyTrials(args, name);
      const text = format === "csv" ? trialsToCsv(trials) : trialsToJson(trials);
      const out = stringOption(args, "out");
      if (out) writeFileSync(out, text);
      else process.stdout.write(text);
      return 0;
    },
  },
  ui: {
    summary: "open the tracker UI: a local, read-only web server over a storage",
    usage: "tunebook ui [--storage <url>] [--port 5177] [--host 127.0.0.1]",
    values: ["storage", "port", "host"],
    async run(args) {
      await serveUntilStopped({
        storage: stringOption(args, "storage"),
        port: optionalInt("ui", args, "port"),
        host: stringOption(args, "host"),
      });
      return 0;
    },
  },
  kernel: {
    summary: 'install the Jupyter kernel "TypeScript (tunebook)": TypeScript cells, %%tune cells, Vega-Lite output',
    usage: "tunebook kernel install [--user | --prefix <dir>]",
    values: ["prefix"],
    flags: ["user"],
    async run(args) {
      if (args.positional.length !== 1 || args.positional[0] !== "install") {
        throw new ValueError(
          `tunebook kernel: expected \`tunebook kernel install [--user | --prefix <dir>]\`, got ${args.positional.length ? args.positional.map((p) => show(p)).join(" ") : "no subcommand"}.`,
        );
      }
      const { installKernel } = await import("../kernel/install.js");
      const installed = installKernel({ user: args.options.user === true, prefix: stringOption(args, "prefix") });
      console.log(`Installed the Jupyter kernel ${show(installed.name)} (${installed.spec.display_name}) in ${installed.directory}.`);
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
    async run(args) {
      const script = requireOne("worker", args, "objective module");
      const study = stringOption(args, "study");
      if (!study) throw new ValueError("tunebook worker: --study <name> is required: every worker of one study gives the same name.");
      const { runWorker } = await import("../tune/worker.js");
      const storage = stringOption(args, "storage") ?? process.env.TUNEBOOK_STORAGE ?? "./tunebook.db";
      const result = await runWorker(
        {
          script,
          study,
          storage,
          exportName: stringOption(args, "export"),
          totalTrials: optionalInt("worker", args, "trials"),
          timeoutSeconds: optionalNumber("worker", args, "timeout"),
          sampler: stringOption(args, "sampler") as SamplerName | undefined,
          seed: optionalInt("worker", args, "seed"),
          pruner: stringOption(args, "pruner") as PrunerName | undefined,
          direction: stringOption(args, "direction") as StudyDirection | undefined,
          retryFailedTrials: optionalInt("worker", args, "retry-failed"),
          heartbeatSeconds: optionalNumber("worker", args, "heartbeat") ?? 10,
          graceSeconds: optionalNumber("worker", args, "grace"),
        },
        (trial) => console.log(`trial ${trial.number} ${trial.state}${trial.value === null ? "" : ` ${trial.value}`}`),
      );
      console.log(`worker done: ${result.trialsRun} trials run here, stopped by ${result.stoppedBy}.`);
      return 0;
    },
  },
};

/** Runs the `tunebook` command; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    printHelp();
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name as CommandName];
  if (!command) {
    const hint = closest(name, Object.keys(COMMANDS));
    console.error(
      `tunebook: unknown command ${show(name)}.${hint ? ` Did you mean ${show(hint)}?` : ""} Run \`tunebook help\` for the list.`,
    );
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(parseArgs(name, rest, command));
  } catch (error) {
    if (error instanceof TunebookError) {
      console.error(`tunebook ${name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** Serves the tracker UI until Ctrl+C; `path` is the page to point at. */
async function serveUntilStopped(options: { storage?: string; port?: number; host?: string }, path = "/"): Promise<void> {
  const { startServer } = await import("../tracker/server/start.js");
  const server = await startServer(options);
  console.log(`tunebook ui: showing ${server.storage.url} at ${new URL(path, server.url).href} (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
}

function printHelp(): void {
  console.log("tunebook — hyperparameter tuning for TypeScript\n\nCommands:");
  for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(10)} ${c.summary}\n  ${"".padEnd(10)} ${c.usage}`);
  console.log(
    "\nStorage URLs: sqlite:<path>, <path>.db, postgres://user@host:port/db, :memory:. Default: $TUNEBOOK_STORAGE, else ./tunebook.db.",
  );
}

/** A study's trials from the `--storage` given (which must exist: reading never creates a database). */
async function readStudyTrials(args: ParsedArgs, name: string): Promise<TrialRecord[]> {
  const storage = await openStorage(stringOption(args, "storage"), { mustExist: true });
  try {
    return await storage.getAllTrials(await storage.getStudyIdByName(name));
  } finally {
    await storage.close();
  }
}

function requireOne(command: string, args: ParsedArgs, what: string): string {
  if (args.positional.length !== 1)
    throw new ValueError(
      `tunebook ${command}: expected one ${what}, got ${args.positional.length ? args.positional.map((p) => show(p)).join(" ") : "none"}.`,
    );
  return args.positional[0];
}

function studyRow(s: StudySummary): (string | number | null)[] {
  return [
    s.experiment ?? "",
    s.name,
    s.direction,
    s.counts.COMPLETE,
    s.counts.PRUNED,
    s.counts.FAIL,
    s.counts.RUNNING,
    s.bestValue,
    s.lastActivity?.toISOString() ?? "",
  ];
}
