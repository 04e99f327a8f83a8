/**
 * Bad command lines, run for real: each is refused with one line on stderr, one prefix,
 * no stack trace and a non-zero exit code (2 for a command line that cannot be read,
 * 1 for a failure while running), and leaves every file as it was.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStudy, setVerbosity } from "../../index.js";
import { closeStorages } from "../../tune/storage.js";
import { assertOneLineError, snapshot, tunebook } from "./run-cli.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-cli-errors-"));
const db = join(dir, "cli.db");
const folder = join(dir, "existing-folder");

before(async () => {
  const study = await createStudy({ storage: `sqlite:${db}`, name: "iris-rf", sampler: "random", seed: 1 });
  await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
  await closeStorages();
  mkdirSync(folder);
  // Loading this module leaves a mark: a command refused up front never loads it.
  writeFileSync(
    join(dir, "objective.mjs"),
    'import { writeFileSync } from "node:fs";\nwriteFileSync("module-was-loaded", "");\nexport function objective(trial) { return trial.suggestFloat("x", 0, 1); }\n',
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `tunebook <args>` in the temp folder and checks it failed cleanly and changed no file. */
function refused(command: string | undefined, code: number, message: RegExp, ...args: string[]): void {
  const before = snapshot(dir);
  assertOneLineError(tunebook(dir, ...args), command, code, message);
  assert.deepEqual(snapshot(dir), before, `tunebook ${args.join(" ")} created or changed a file`);
}

const usage = (command: string) => new RegExp(`Run \`tunebook ${command} --help\` for usage\\.$`);

describe("tunebook: commands and --version", () => {
  it("names an unknown command, also one named like an Object method, and suggests the closest", () => {
    refused(undefined, 2, /unknown command "studys"\. Did you mean "studies"\?/, "studys");
    refused(undefined, 2, /unknown command "constructor"/, "constructor");
    refused(undefined, 2, /unknown command "toString"/, "toString");
    refused(undefined, 2, /unknown command "__proto__"/, "__proto__");
  });

  it("--version and -v print the version of package.json", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      const run = tunebook(dir, flag);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${version}\n`);
      assert.equal(run.stderr, "");
    }
  });
});

describe("tunebook: options and arguments", () => {
  it("says each thing once: an unknown option is named with the closest known one, behind one prefix", () => {
    refused("studies", 2, /^tunebook studies: unknown option --storag\. Did you mean --storage\?/, "studies", "--storag", db);
    refused("studies", 2, /unknown option --colour; its options are --storage, --json\./, "studies", "--colour");
    refused("studies", 2, /unknown option -j; its options are --storage, --json\./, "studies", "-j");
    refused("trials", 2, usage("trials"), "trials", "iris-rf", "--out", "trials.csv");
  });

  it("refuses extra arguments, naming them", () => {
    refused("studies", 2, /unexpected argument "foo": tunebook studies takes none\./, "studies", "foo", "--storage", db);
    refused("trials", 2, /unexpected argument "extra" after the study name "iris-rf"/, "trials", "iris-rf", "extra", "--storage", db);
    refused("ui", 2, /unexpected argument "now"/, "ui", "now");
  });

  it("refuses a value given to a flag, and a value option without its value", () => {
    refused(
      "studies",
      2,
      /--json takes no value, got --json=false: give --json to turn it on, leave it out for off\./,
      "studies",
      "--json=false",
    );
    refused("demo", 2, /--ui takes no value, got --ui=yes/, "demo", "--ui=yes");
    refused("studies", 2, /--storage needs a value, got none\./, "studies", "--storage");
    refused("studies", 2, /--storage needs a value, got the option --json/, "studies", "--storage", "--json");
    refused("export", 2, /--out needs a value, got an empty one\./, "export", "iris-rf", "--storage", db, "--out", "");
    refused("export", 2, /--out needs a value, got an empty one\./, "export", "iris-rf", "--storage", db, "--out=");
    refused(
      "studies",
      2,
      /--storage is given twice \("a\.db", then "b\.db"\); give it once\./,
      "studies",
      "--storage",
      "a.db",
      "--storage",
      "b.db",
    );
  });

  it("takes a study name that starts with a dash after --", () => {
    refused("trials", 1, /No study named "--json"/, "trials", "--storage", db, "--", "--json");
  });

  it("asks for a missing study name or module", () => {
    refused("trials", 2, /expected a study name, got none\./, "trials", "--storage", db);
    refused("export", 2, /expected a study name, got none\./, "export", "--storage", db);
    refused("worker", 2, /expected an objective module, got none\./, "worker", "--study", "s");
  });
});

describe("tunebook demo", () => {
  it("refuses a trial count that is not a positive integer before it runs or writes anything", () => {
    for (const bad of ["0", "-1", "1.5", "ten", "1e400", "0x10", " 3"]) {
      refused(
        "demo",
        2,
        new RegExp(`--trials must be a positive integer, got ${JSON.stringify(JSON.stringify(bad)).slice(1, -1)}`),
        "demo",
        "--trials",
        bad,
      );
    }
  });

  it("checks --port before running: a number in range, and only with --ui", () => {
    refused("demo", 2, /--port must be an integer from 0 to 65535, got "70000"/, "demo", "--trials", "1", "--ui", "--port", "70000");
    refused("demo", 2, /--port applies only with --ui/, "demo", "--trials", "1", "--port", "5000");
  });

  it("reports a storage it cannot open in one line, after its opening line", () => {
    const before = snapshot(dir);
    const run = tunebook(dir, "demo", "--trials", "1", "--storage", "bogus://x");
    assertOneLineError({ ...run, stdout: "" }, "demo", 1, /Cannot open the storage "bogus:\/\/x"\. Accepted forms: - ":memory:"/);
    assert.match(run.stdout, /^wine: /);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe("tunebook studies / trials / export", () => {
  it("reports bad storage URLs in one line", () => {
    refused("studies", 1, /Cannot open the storage "bogus:\/\/x"\. Accepted forms: .*"postgres:\/\//, "studies", "--storage", "bogus://x");
    refused(
      "studies",
      1,
      /Cannot connect to PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/db/,
      "studies",
      "--storage",
      "postgres://nobody@127.0.0.1:1/db",
    );
    refused("studies", 1, /synchronous=bogus/, "studies", "--storage", `sqlite:${db}?synchronous=bogus`);
    refused("trials", 1, /does not exist/, "trials", "iris-rf", "--storage", join(dir, "absent.db"));
  });

  it("names a study that does not exist", () => {
    refused("trials", 1, /No study named "ghost"\. Known studies: "iris-rf"/, "trials", "ghost", "--storage", db);
    refused("trials", 1, /No study named "constructor"/, "trials", "constructor", "--storage", db);
    refused("export", 1, /No study named "ghost"/, "export", "ghost", "--storage", db, "--out", join(dir, "ghost.csv"));
  });

  it("refuses a bad --format, with the closest one", () => {
    refused("export", 2, /--format must be csv or json, got "xml"\./, "export", "iris-rf", "--storage", db, "--format", "xml");
    refused(
      "export",
      2,
      /--format must be csv or json, got "jsno"\. Did you mean "json"\?/,
      "export",
      "iris-rf",
      "--storage",
      db,
      "--format",
      "jsno",
    );
  });

  it("refuses an --out it cannot write, before reading anything, and never overwrites a database", () => {
    refused(
      "export",
      1,
      /--out .*missing-folder.*: the folder .*missing-folder" does not exist; create it first/,
      "export",
      "iris-rf",
      "--storage",
      db,
      "--out",
      join(dir, "missing-folder", "x.csv"),
    );
    refused(
      "export",
      1,
      /--out ".*existing-folder" is a folder; give a file path such as ".*existing-folder\/trials\.csv"/,
      "export",
      "iris-rf",
      "--storage",
      db,
      "--out",
      folder,
    );
    refused(
      "export",
      1,
      /--out ".*cli\.db" is an SQLite database; exporting would overwrite it\. Give another file\./,
      "export",
      "iris-rf",
      "--storage",
      db,
      "--out",
      db,
    );
    refused(
      "export",
      1,
      /--out .*: ".*objective\.mjs" is a file, not a folder/,
      "export",
      "iris-rf",
      "--storage",
      db,
      "--out",
      join(dir, "objective.mjs", "x.csv"),
    );
  });

  it("stops quietly when the reader of its output goes away", async () => {
    const big = join(tmpdir(), `tunebook-cli-big-${process.pid}.db`);
    const study = await createStudy({ storage: `sqlite:${big}`, name: "big", sampler: "random", seed: 1 });
    await study.optimize(
      (t) => {
        t.setUserAttr("blob", "x".repeat(20_000));
        return t.suggestFloat("x", 0, 1);
      },
      { nTrials: 20 },
    );
    await closeStorages();
    const cli = new URL("../../cli/run.ts", import.meta.url).pathname;
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), cli, "export", "big", "--storage", big], { cwd: dir });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on("exit", resolve));
    rmSync(big, { force: true });
    assert.equal(stderr, "");
    assert.equal(code, 0);
  });
});

describe("tunebook ui", () => {
  it("checks --port and --host before starting", () => {
    refused("ui", 2, /--port must be an integer from 0 to 65535, got "99999"/, "ui", "--port", "99999", "--storage", db);
    refused("ui", 2, /--port must be an integer from 0 to 65535, got "abc"/, "ui", "--port", "abc", "--storage", db);
    refused("ui", 2, /--host needs a value, got an empty one/, "ui", "--host", "", "--storage", db);
    refused("ui", 1, /does not exist/, "ui", "--storage", join(dir, "absent.db"), "--port", "0");
  });
});

describe("tunebook kernel", () => {
  it("names a missing or misspelled subcommand and conflicting options", () => {
    refused("kernel", 2, /expected a subcommand \(install\), got none\./, "kernel");
    refused("kernel", 2, /unknown subcommand "instal"\. Did you mean "install"\?/, "kernel", "instal");
    refused("kernel", 2, /unexpected argument "now" after the subcommand "install";/, "kernel", "install", "now");
    refused("kernel", 2, /give --user or --prefix <dir>, not both\./, "kernel", "install", "--user", "--prefix", join(dir, "jupyter"));
    refused(
      "kernel",
      1,
      /--prefix ".*no-such-env" does not exist; give the prefix of an existing environment/,
      "kernel",
      "install",
      "--prefix",
      join(dir, "no-such-env"),
    );
  });
});

describe("tunebook worker", () => {
  const worker = (...args: string[]) => ["worker", "objective.mjs", "--storage", join(dir, "worker.db"), ...args];

  it("checks every option before loading the module or opening the storage", () => {
    refused("worker", 2, /--study <name> is required/, ...worker());
    refused(
      "worker",
      2,
      /--sampler must be one of .*\btpe\b.*, got "tpee"\. Did you mean "tpe"\?/,
      ...worker("--study", "s", "--sampler", "tpee"),
    );
    refused(
      "worker",
      2,
      /--pruner must be one of .*, got "meidan"\. Did you mean "median"\?/,
      ...worker("--study", "s", "--pruner", "meidan"),
    );
    refused("worker", 2, /--direction must be minimize or maximize, got "up"\./, ...worker("--study", "s", "--direction", "up"));
    refused("worker", 2, /--trials must be a positive integer, got "0"/, ...worker("--study", "s", "--trials", "0"));
    refused("worker", 2, /--seed must be a non-negative integer, got "1\.5"/, ...worker("--study", "s", "--seed", "1.5"));
    refused("worker", 2, /--timeout must be a positive number, got "-1"/, ...worker("--study", "s", "--timeout", "-1"));
    refused("worker", 2, /--heartbeat must be a positive number, got "0"/, ...worker("--study", "s", "--heartbeat", "0"));
    refused("worker", 2, /--grace must be a positive number, got "Infinity"/, ...worker("--study", "s", "--grace", "Infinity"));
  });

  it("names a module that does not exist", () => {
    refused(
      "worker",
      1,
      /The objective module "missing\.mjs" does not exist/,
      "worker",
      "missing.mjs",
      "--study",
      "s",
      "--storage",
      join(dir, "worker.db"),
    );
  });

  it("reports an objective's own error in one line, with how to see its stack", () => {
    const cwd = mkdtempSync(join(tmpdir(), "tunebook-cli-worker-"));
    writeFileSync(join(cwd, "throws.mjs"), "export function objective() { return undefined.x; }\n");
    const run = tunebook(cwd, "worker", "throws.mjs", "--study", "s", "--storage", join(cwd, "w.db"), "--trials", "1");
    assertOneLineError(
      { ...run, stdout: "" },
      "worker",
      1,
      /TypeError: Cannot read properties of undefined \(reading 'x'\).*TUNEBOOK_DEBUG=1/,
    );
    rmSync(cwd, { recursive: true, force: true });
  });
});
