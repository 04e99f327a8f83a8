import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { datasetFingerprints } from "../../core/dataset-fingerprints.js";
import { type JsonValue, SYSTEM_ATTR } from "../../core/records.js";
import { createStudy, loadStudy, setVerbosity } from "../../index.js";
import { readCsvTable } from "../../learn/csv.js";
import { captureProvenance, gitState, readProvenance, recordProvenance } from "../../tune/provenance.js";
import { closeStorages } from "../../tune/storage.js";
import { skipWithoutOptuna } from "../tracker/storage/optuna-peer.js";

setVerbosity("silent");
const dir = mkdtempSync(join(tmpdir(), "tunebook-provenance-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, stdio: "pipe" });

describe("provenance", () => {
  it("reads the commit, a dirty tree and a diff hash that follows the diff; nulls outside a repository", () => {
    const outside = mkdtempSync(join(tmpdir(), "tunebook-no-repo-"));
    assert.deepEqual(gitState(outside), { commit: null, dirty: null, diffSha256: null });
    rmSync(outside, { recursive: true, force: true });
    git("init", "-q");
    writeFileSync(join(dir, "a.txt"), "one\n");
    git("add", "a.txt");
    git("commit", "-q", "-m", "first");
    const head = git("rev-parse", "HEAD").toString().trim();
    assert.deepEqual(gitState(dir), { commit: head, dirty: false, diffSha256: null });
    writeFileSync(join(dir, "a.txt"), "two\n");
    const first = gitState(dir);
    assert.equal(first.commit, head);
    assert.equal(first.dirty, true);
    assert.match(first.diffSha256 ?? "", /^[0-9a-f]{64}$/);
    writeFileSync(join(dir, "a.txt"), "three\n");
    assert.notEqual(gitState(dir).diffSha256, first.diffSha256);
  });

  it("fingerprints a CSV by its content", () => {
    const path = join(dir, "data.csv");
    const hash = () => datasetFingerprints().find((d) => d.path === path)!.sha256;
    writeFileSync(path, "x,y\n1,2\n3,4\n");
    readCsvTable(path);
    const before = hash();
    readCsvTable(path);
    assert.equal(hash(), before);
    writeFileSync(path, "x,y\n1,2\n3,5\n");
    readCsvTable(path);
    assert.notEqual(hash(), before);
    const d = datasetFingerprints().find((f) => f.path === path)!;
    assert.deepEqual([d.name, d.rows, d.columns], ["data.csv", 2, ["x", "y"]]);
  });

  it("keeps earlier runs' captures when a study is continued", async () => {
    const study = await createStudy({ storage: ":memory:", sampler: "random", seed: 5 });
    const stored = () => study.summary().then((s) => readProvenance(s.systemAttrs)!);
    assert.equal((await stored()).latest.seed, 5);
    assert.equal((await stored()).earlier.length, 0);
    await recordProvenance(study.storage, study.studyId, captureProvenance({ cwd: dir, run: "another run" }));
    const after = await stored();
    assert.equal(after.latest.run, "another run");
    assert.equal(after.latest.git.dirty, true);
    assert.equal(after.earlier.length, 1);
    assert.equal(after.earlier[0].seed, 5);
  });
});

/**
 * Optuna's side: loads the study, prints its system attributes and trial count, then adds
 * one COMPLETE trial of its own (x = 0.25, value 0.5).
 */
const OPTUNA_READS_AND_ADDS = `
import json, sys, warnings, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore", FutureWarning)  # Study.system_attrs is deprecated since 3.1, and still there
study = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])
seen = {"system_attrs": dict(study.system_attrs), "trials": len(study.trials)}
study.add_trial(optuna.trial.create_trial(params={"x": 0.25}, distributions={"x": optuna.distributions.FloatDistribution(0, 1)}, value=0.5))
print(json.dumps(seen))
`;

describe("provenance, notes and tags in Optuna's hands", () => {
  const skip = skipWithoutOptuna();
  it("Optuna 3.1 loads the study, sees the same system attributes, and adds a trial tunebook then reads", { skip }, async () => {
    const path = join(dir, "optuna-reads.db");
    const study = await createStudy({ storage: `sqlite:${path}`, name: "shared", sampler: "random", seed: 11 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    await study.addTags("baseline", "données-v2");
    await study.setNote('## Result\n\n"x" near 0.3 — see `notes/run-1.md`.');
    const ours = (await study.summary()).systemAttrs;
    await closeStorages();
    assert.notEqual(readProvenance(ours), null);

    const output = execFileSync("/usr/bin/python3", ["-c", OPTUNA_READS_AND_ADDS, `sqlite:///${path}`, "shared"], { encoding: "utf8" });
    const seen = JSON.parse(output) as { system_attrs: Record<string, JsonValue>; trials: number };
    assert.equal(seen.trials, 3);
    for (const key of [SYSTEM_ATTR.provenance, SYSTEM_ATTR.note, SYSTEM_ATTR.tags])
      assert.deepEqual(seen.system_attrs[key], ours[key], key);
    assert.deepEqual(seen.system_attrs[SYSTEM_ATTR.tags], ["baseline", "données-v2"]);

    const reloaded = await loadStudy({ storage: `sqlite:${path}`, name: "shared" });
    const trials = await reloaded.trials();
    assert.equal(trials.length, 4);
    assert.deepEqual([trials[3].number, trials[3].state, trials[3].params, trials[3].value], [3, "COMPLETE", { x: 0.25 }, 0.5]);
    assert.deepEqual(await reloaded.tags(), ["baseline", "données-v2"]);
    assert.equal(await reloaded.note(), ours[SYSTEM_ATTR.note]);
    await closeStorages();
  });
});
