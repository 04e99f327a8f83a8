import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DatasetFingerprint } from "../../../core/dataset-fingerprints.js";
import { type JsonValue, type StudySummary, SYSTEM_ATTR, type TrialRecord } from "../../../core/records.js";
import { type DiffInput, diffStudies } from "../../../tracker/analysis/study-diff.js";
import { mergeProvenance, type ProvenanceCapture } from "../../../tune/provenance-record.js";
import { float, int, rec, summary } from "../charts/helpers.js";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

function dataset(name: string, sha256: string, rows = 150): DatasetFingerprint {
  return { name, path: `data/${name}`, rows, columns: ["a", "b", "label"], sha256 };
}

function capture(overrides: Partial<ProvenanceCapture> = {}): ProvenanceCapture {
  return {
    capturedAt: "2026-01-01T00:00:00.000Z",
    run: "run-1",
    cwd: "/work/project",
    git: { commit: COMMIT, dirty: false, diffSha256: null },
    node: "v20.11.0",
    packages: { tunebook: "0.1.0", "ml-matrix": "6.11.0" },
    os: { platform: "linux", release: "6.1.0", arch: "x64" },
    cpu: { model: "Some CPU", count: 8 },
    seed: 1,
    datasets: [dataset("train.csv", "a".repeat(64))],
    cell: null,
    ...overrides,
  };
}

/** A study summary with tunebook's system attributes; `provenance: null` for one another tool wrote. */
function study(id: number, name: string, provenance: ProvenanceCapture | null, attrs: Record<string, JsonValue> = {}): StudySummary {
  const systemAttrs: Record<string, JsonValue> = { [SYSTEM_ATTR.sampler]: "tpe", ...attrs };
  if (provenance !== null) systemAttrs[SYSTEM_ATTR.provenance] = mergeProvenance(null, provenance) as unknown as JsonValue;
  return { ...summary(name, "minimize"), studyId: id, systemAttrs };
}

/** Trials over `x` in [0, high] and `n` in [1, 5]. */
function trials(high = 1, extra: Record<string, number> = {}): TrialRecord[] {
  return [0, 1, 2].map((i) =>
    rec(i, "COMPLETE", i / 10, {
      x: [float(0, high), i / 4],
      n: [int(1, 5), i + 1],
      ...Object.fromEntries(Object.entries(extra).map(([k, hi]) => [k, [float(0, hi), 0.5] as const])),
    }),
  );
}

const input = (s: StudySummary, t: TrialRecord[]): DiffInput => ({ summary: s, trials: t });
const section = (diff: ReturnType<typeof diffStudies>, name: string) => diff.sections.find((s) => s.name === name)!;

describe("diffStudies", () => {
  it("finds nothing between two studies from the same code, data, machine and space", () => {
    const diff = diffStudies(input(study(1, "a", capture()), trials()), input(study(2, "b", capture({ run: "run-2" })), trials()));
    assert.deepEqual(diff.headlines, []);
    assert.deepEqual(
      diff.sections.map((s) => [s.name, s.identical, s.rows.length]),
      ["search space", "engine", "directions", "code", "versions", "machine", "data", "notebook cell"].map((n) => [n, true, 0]),
    );
    assert.deepEqual(
      [diff.a, diff.b],
      [
        { id: 1, name: "a" },
        { id: 2, name: "b" },
      ],
    );
  });

  it("puts a dataset of the same name with other content first among the headlines", () => {
    const a = capture({ datasets: [dataset("train.csv", "a".repeat(64), 150)] });
    const b = capture({
      datasets: [dataset("train.csv", "b".repeat(64), 149)],
      git: { commit: "f".repeat(40), dirty: false, diffSha256: null },
    });
    const diff = diffStudies(input(study(1, "a", a), trials()), input(study(2, "b", b), trials(2)));
    assert.equal(diff.headlines.length, 3);
    assert.match(
      diff.headlines[0],
      /^Dataset "train\.csv" has the same name but different content \(sha256 aaaaaaaaaaaa against bbbbbbbbbbbb; 150 rows against 149\)/,
    );
    assert.match(diff.headlines[1], /^The code differs: commit 0123456789ab against ffffffffffff/);
    assert.match(diff.headlines[2], /^The search spaces differ in 1 parameter\.$/);
    assert.deepEqual(section(diff, "data").rows, [
      {
        field: "dataset train.csv",
        a: "150 rows × 3 columns, sha256 aaaaaaaaaaaa",
        b: "149 rows × 3 columns, sha256 bbbbbbbbbbbb",
      },
    ]);
  });

  it("names a parameter added, one removed and one whose range changed", () => {
    const diff = diffStudies(
      input(study(1, "a", capture()), trials(1, { lr: 1 })),
      input(study(2, "b", capture()), trials(3, { depth: 9 })),
    );
    assert.deepEqual(section(diff, "search space").rows, [
      { field: "param depth", a: null, b: "FloatDistribution(0, 9)" },
      { field: "param lr", a: "FloatDistribution(0, 1)", b: null },
      { field: "param x", a: "FloatDistribution(0, 1)", b: "FloatDistribution(0, 3)" },
    ]);
    assert.deepEqual(diff.headlines, ["The search spaces differ in 3 parameters."]);
    assert.ok(section(diff, "engine").identical);
  });

  it("shows a study without provenance (written by another tool) as not recorded, without failing", () => {
    const optuna: StudySummary = { ...summary("from-optuna", "minimize"), studyId: 2, systemAttrs: {} };
    const diff = diffStudies(input(study(1, "ours", capture()), trials()), input(optuna, trials()));
    assert.ok(section(diff, "search space").identical, "the trials still compare");
    assert.deepEqual(section(diff, "engine").rows, [
      { field: "sampler", a: "tpe", b: null },
      { field: "seed", a: "1", b: null },
    ]);
    const code = section(diff, "code").rows;
    assert.deepEqual(
      code.find((r) => r.field === "git commit"),
      { field: "git commit", a: COMMIT, b: null },
    );
    assert.ok(section(diff, "versions").rows.every((r) => r.a !== null && r.b === null));
    assert.deepEqual(section(diff, "data").rows, [{ field: "dataset train.csv", a: "150 rows × 3 columns, sha256 aaaaaaaaaaaa", b: null }]);
    assert.match(diff.headlines.at(-1)!, /^No provenance was recorded for from-optuna \(a study written by another tool/);
    const neither = diffStudies(input(optuna, []), input({ ...optuna, studyId: 3, name: "other" }, []));
    assert.deepEqual(
      neither.sections.filter((s) => !s.identical).map((s) => s.name),
      [],
      "two studies with nothing recorded differ in nothing recorded",
    );
    assert.match(neither.headlines[0], /No provenance was recorded for from-optuna and other/);
  });
});
