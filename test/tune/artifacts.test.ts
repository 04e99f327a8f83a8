// Artifacts of trials in Optuna's FileSystemArtifactStore layout, saved models, and the
// durability of the write, on a real SQLite file; Optuna 3.1 reads the records back.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ValueError } from "../../core/errors.js";
import { ARTIFACT_ATTR_PREFIX } from "../../core/records.js";
import { loadArrays } from "../../learn/datasets.js";
import { RandomForestClassifier } from "../../learn/models/random-forest.js";
import { makePipeline } from "../../learn/pipeline.js";
import { StandardScaler } from "../../learn/preprocessing.js";
import { loadModel } from "../../select/saved-models.js";
import { openStorage } from "../../tracker/storage/open.js";
import { ARTIFACTS_ENV, artifactDir, artifactsOf, isArtifactId } from "../../tune/artifacts.js";
import { createStudy, loadStudy } from "../../tune/create-study.js";
import { setVerbosity } from "../../tune/log.js";
import { closeStorages } from "../../tune/storage.js";

setVerbosity("silent");
const PYTHON = "/usr/bin/python3";
const PEER = fileURLToPath(new URL("fixtures/optuna_artifacts.py", import.meta.url));
const WRITER = fileURLToPath(new URL("fixtures/artifact-writer.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tunebook-artifacts-"));
after(async () => {
  await closeStorages();
  rmSync(dir, { recursive: true, force: true });
});

function optunaMissing(): string | false {
  try {
    execFileSync(PYTHON, ["-c", "import optuna"], { stdio: "pipe" });
    return false;
  } catch {
    return `Optuna artifact layout check SKIPPED: ${PYTHON} with python3-optuna is not available`;
  }
}
const skipPython = optunaMissing();
if (skipPython && process.env.TUNEBOOK_REQUIRE_ALL === "1")
  test("Optuna 3.1 is available (TUNEBOOK_REQUIRE_ALL=1)", () => assert.fail(skipPython));
else if (skipPython) console.warn(`\n!! ${skipPython}\n`);

const iris = loadArrays("iris");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("trial artifacts", () => {
  const db = join(dir, "runs.db");
  const url = `sqlite:${db}`;
  const base = `${db}.artifacts`;

  it("an uploaded file lands at <base>/<id> and the trial records it as Optuna does", async () => {
    const study = await createStudy({ name: "upload", storage: url });
    const trial = await study.ask();
    const file = join(dir, "notes.csv");
    writeFileSync(file, "fold,score\n0,0.93\n1,0.95\n");
    const id = await trial.uploadArtifact(file);
    assert.ok(isArtifactId(id), id);
    assert.equal(readFileSync(join(base, id), "utf8"), readFileSync(file, "utf8"));
    await study.tell(trial, 0.94);
    // A finished trial takes artifacts too.
    const gz = join(dir, "log.txt.gz");
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0, 1, 2]));
    const second = await trial.uploadArtifact(gz, { mimetype: "text/plain" });

    const [record] = await study.trials();
    const value = record.systemAttrs[`${ARTIFACT_ATTR_PREFIX}${id}`];
    assert.equal(typeof value, "string", "the value is JSON text, as json.dumps makes it");
    assert.deepEqual(JSON.parse(value as string), { artifact_id: id, filename: "notes.csv", mimetype: "text/csv", encoding: null });
    assert.deepEqual(artifactsOf(record), [
      { artifactId: second, filename: "log.txt.gz", mimetype: "text/plain", encoding: "gzip" },
      { artifactId: id, filename: "notes.csv", mimetype: "text/csv", encoding: null },
    ]);
    // Nothing but the two files and no temporary file left behind.
    assert.deepEqual(readdirSync(base).sort(), [id, second].sort());
  });

  it("Optuna 3.1 reads the records with json.loads, and they name the files (the layout of Optuna's artifacts module)", {
    skip: skipPython,
  }, async () => {
    const out = JSON.parse(execFileSync(PYTHON, [PEER, `sqlite:///${db}`, "upload", base], { encoding: "utf8" })) as {
      key: string;
      value_is_str: boolean;
      meta: Record<string, unknown>;
      size: number;
      sha256: string;
    }[];
    assert.equal(out.length, 2);
    for (const entry of out) {
      assert.equal(entry.value_is_str, true);
      assert.deepEqual(Object.keys(entry.meta).sort(), ["artifact_id", "encoding", "filename", "mimetype"]);
      assert.equal(entry.key, `artifacts:${entry.meta.artifact_id}`);
      const bytes = readFileSync(join(base, entry.meta.artifact_id as string));
      assert.equal(entry.size, bytes.length);
      assert.equal(entry.sha256, sha256(bytes));
    }
  });

  it("saveModel keeps a fitted model, and loadModel gives it back live after the storage is reopened", async () => {
    const study = await createStudy({ name: "models", storage: url, direction: "maximize" });
    const model = makePipeline(new StandardScaler(), new RandomForestClassifier({ nEstimators: 10, seed: 3 }));
    await study.optimize(
      async (trial) => {
        model.fit(iris.X, iris.y);
        return trial.suggestFloat("x", 0, 1);
      },
      { nTrials: 2 },
    );
    const meta = await study.saveModel(1, model);
    assert.equal(meta.filename, "model-Pipeline.json");
    assert.equal(meta.mimetype, "application/json");
    await closeStorages();

    const reopened = await loadStudy({ name: "models", storage: url });
    const copy = await loadModel<typeof model>(reopened, 1);
    assert.notEqual(copy, model);
    assert.deepEqual(copy.predictProba!(iris.X), model.predictProba!(iris.X));
    assert.deepEqual(copy.predict(iris.X), model.predict(iris.X));
    await assert.rejects(loadModel(reopened, 0), /trial 0 of "models" saved no model/);
    await assert.rejects(loadModel(reopened, 7), /no trial number 7/);
    // Two models in one trial: the caller picks one by id.
    const other = await reopened.saveModel(1, new StandardScaler());
    await assert.rejects(loadModel(reopened, 1), /saved 2 models.*artifactId/);
    assert.equal((await loadModel(reopened, 1, { artifactId: other.artifactId }))!.constructor, StandardScaler);
  });

  it("a writer killed mid-file leaves no artifact: the file appears whole under its id, or not at all", async () => {
    const study = await createStudy({ name: "killed", storage: url });
    const trial = await study.ask();
    const fifo = join(dir, "slow-source");
    execFileSync("mkfifo", [fifo]);
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, url, String(trial.trialId), fifo], { stdio: "ignore" });
    let running = true;
    const exited = new Promise((resolve) => child.once("exit", resolve)).then(() => {
      running = false;
      // Release our side's open of the pipe if the writer never opened its end.
      closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    });
    const writer = await open(fifo, "w");
    assert.ok(running, "the writer is still running when its source is opened");
    await writer.write(Buffer.alloc(256 * 1024, 7));
    // Wait until the child has written part of the file into its temporary file (bounded).
    let temp: string | undefined;
    for (let i = 0; i < 600 && temp === undefined; i++) {
      temp = readdirSync(base).find((name) => name.startsWith(".") && statSync(join(base, name)).size > 0);
      if (temp === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(temp, "the writer started its temporary file");
    child.kill("SIGKILL");
    await exited;
    await writer.close();
    const id = temp.slice(1, 37);
    assert.ok(isArtifactId(id), temp);
    assert.equal(existsSync(join(base, id)), false, "no file under the artifact id");
    const [record] = await study.trials();
    assert.deepEqual(artifactsOf(record), [], "no record of it either");
    // The next upload is whole.
    const file = join(dir, "whole.bin");
    writeFileSync(file, Buffer.alloc(1000, 9));
    const whole = await trial.uploadArtifact(file);
    assert.equal(statSync(join(base, whole)).size, 1000);
  });

  it("a storage without a folder of its own needs one given, or $TUNEBOOK_ARTIFACTS", async () => {
    assert.equal(artifactDir("sqlite:/data/x.db"), "/data/x.db.artifacts");
    const saved = process.env[ARTIFACTS_ENV];
    delete process.env[ARTIFACTS_ENV];
    try {
      assert.throws(
        () => artifactDir("postgresql://u:secret@host/db"),
        (error: Error) => {
          assert.ok(error instanceof ValueError);
          assert.match(error.message, /artifacts option.*TUNEBOOK_ARTIFACTS/);
          assert.doesNotMatch(error.message, /secret/);
          return true;
        },
      );
      const memory = openStorage(":memory:");
      const study = await createStudy({ name: "memory", storage: memory });
      const trial = await study.ask();
      const file = join(dir, "m.txt");
      writeFileSync(file, "m");
      await assert.rejects(trial.uploadArtifact(file), /keeps no files/);
      const folder = join(dir, "memory-artifacts");
      const id = await trial.uploadArtifact(file, { artifacts: folder });
      assert.equal(readFileSync(join(folder, id), "utf8"), "m");
      process.env[ARTIFACTS_ENV] = join(dir, "from-env");
      const fromEnv = await trial.uploadArtifact(file);
      assert.equal(readFileSync(join(dir, "from-env", fromEnv), "utf8"), "m");
      await assert.rejects(trial.uploadArtifact(join(dir, "absent.txt")), /is not a file/);
    } finally {
      if (saved === undefined) delete process.env[ARTIFACTS_ENV];
      else process.env[ARTIFACTS_ENV] = saved;
    }
  });
});
