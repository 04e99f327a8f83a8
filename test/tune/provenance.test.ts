import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { datasetFingerprints } from "../../core/dataset-fingerprints.js";
import { createStudy, setVerbosity } from "../../index.js";
import { readCsvTable } from "../../learn/csv.js";
import { captureProvenance, gitState, readProvenance, recordProvenance } from "../../tune/provenance.js";

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
