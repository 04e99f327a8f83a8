import type { DatasetFingerprint } from "../../core/dataset-fingerprints.js";
import { type DistributionJson, describeDistribution, type StudySummary, SYSTEM_ATTR, type TrialRecord } from "../../core/records.js";
import { type ProvenanceCapture, readProvenance } from "../../tune/provenance-record.js";
import { hasParam } from "./trial-params.js";

/**
 * Why two studies differ: their search spaces, engines and directions, and the provenance
 * each recorded (code, versions, machine, seed, data, notebook cell). A pure function of
 * the two studies' summaries and trials; the CLI prints it as tables, the UI as a page.
 */

/** One field that differs: its value in study A and in study B, as text (null: none recorded). */
export interface FieldDiff {
  field: string;
  a: string | null;
  b: string | null;
}

export type DiffSectionName = "search space" | "engine" | "directions" | "code" | "versions" | "machine" | "data" | "notebook cell";

/** The fields of one section that differ; `identical` when none does. */
export interface DiffSection {
  name: DiffSectionName;
  identical: boolean;
  rows: FieldDiff[];
}

export interface StudyDiff {
  a: { id: number; name: string };
  b: { id: number; name: string };
  /** The differences that most often explain different results, in words: a dataset of the same name with other content first. */
  headlines: string[];
  sections: DiffSection[];
}

/** What the diff reads of a study. */
export interface DiffInput {
  summary: StudySummary;
  trials: readonly TrialRecord[];
}

/** The structured difference between studies `a` and `b` (see `StudyDiff`). */
export function diffStudies(a: DiffInput, b: DiffInput): StudyDiff {
  const pa = readProvenance(a.summary.systemAttrs);
  const pb = readProvenance(b.summary.systemAttrs);
  const ca = pa?.latest ?? null;
  const cb = pb?.latest ?? null;
  const runs = (p: typeof pa) => (p === null ? [] : [p.latest, ...p.earlier]);
  const headlines: string[] = [];

  const dataRows = datasetRows(ca?.datasets ?? [], cb?.datasets ?? [], headlines);
  const sections: [DiffSectionName, (FieldDiff | null)[]][] = [
    ["search space", spaceRows(a.trials, b.trials)],
    [
      "engine",
      [
        field("sampler", attrText(a.summary, SYSTEM_ATTR.sampler), attrText(b.summary, SYSTEM_ATTR.sampler)),
        field("pruner", attrText(a.summary, SYSTEM_ATTR.pruner), attrText(b.summary, SYSTEM_ATTR.pruner)),
        field("seed", numberText(ca?.seed), numberText(cb?.seed)),
      ],
    ],
    ["directions", [field("directions", a.summary.directions.join(", "), b.summary.directions.join(", "))]],
    [
      "code",
      [
        field("git commit", ca?.git.commit ?? null, cb?.git.commit ?? null),
        field("uncommitted changes", dirtyText(ca), dirtyText(cb)),
        field("diff sha256", short(ca?.git.diffSha256 ?? null), short(cb?.git.diffSha256 ?? null)),
        field("runs on a dirty tree", dirtyRuns(runs(pa)), dirtyRuns(runs(pb))),
        field("commits over its runs", commitsText(runs(pa)), commitsText(runs(pb))),
      ],
    ],
    [
      "versions",
      [
        field("node", ca?.node ?? null, cb?.node ?? null),
        ...packageNames(ca, cb).map((name) => field(name, ca?.packages[name] ?? null, cb?.packages[name] ?? null)),
      ],
    ],
    [
      "machine",
      [
        field(
          "os",
          ca ? `${ca.os.platform} ${ca.os.release} ${ca.os.arch}` : null,
          cb ? `${cb.os.platform} ${cb.os.release} ${cb.os.arch}` : null,
        ),
        field("cpu", ca ? `${ca.cpu.count} × ${ca.cpu.model}` : null, cb ? `${cb.cpu.count} × ${cb.cpu.model}` : null),
      ],
    ],
    ["data", dataRows],
    ["notebook cell", [field("cell source", cellText(ca?.cell ?? null), cellText(cb?.cell ?? null))]],
  ];

  const out = sections.map(([name, rows]): DiffSection => {
    const differing = rows.filter((r): r is FieldDiff => r !== null);
    return { name, identical: differing.length === 0, rows: differing };
  });
  const sha = out.find((s) => s.name === "code")!.rows.find((r) => r.field === "git commit");
  if (sha)
    headlines.push(`The code differs: commit ${sha.a ? sha.a.slice(0, 12) : "none"} against ${sha.b ? sha.b.slice(0, 12) : "none"}.`);
  const space = out.find((s) => s.name === "search space")!;
  if (!space.identical) headlines.push(`The search spaces differ in ${space.rows.length} parameter${space.rows.length === 1 ? "" : "s"}.`);
  if (pa === null || pb === null) {
    const which = [pa === null ? a.summary.name : null, pb === null ? b.summary.name : null].filter(Boolean).join(" and ");
    headlines.push(`No provenance was recorded for ${which} (a study written by another tool, or by an older tunebook).`);
  }
  return {
    a: { id: a.summary.studyId, name: a.summary.name },
    b: { id: b.summary.studyId, name: b.summary.name },
    headlines,
    sections: out,
  };
}

/** A row when the values differ, null when they agree. */
function field(name: string, a: string | null, b: string | null): FieldDiff | null {
  return a === b ? null : { field: name, a, b };
}

/** Each parameter's latest distribution in the trials, by name. */
function spaceOf(trials: readonly TrialRecord[]): Map<string, DistributionJson> {
  const space = new Map<string, DistributionJson>();
  for (const t of trials) {
    for (const [name, d] of Object.entries(t.distributions)) if (hasParam(t, name)) space.set(name, d);
  }
  return space;
}

function spaceRows(a: readonly TrialRecord[], b: readonly TrialRecord[]): (FieldDiff | null)[] {
  const sa = spaceOf(a);
  const sb = spaceOf(b);
  const names = [...new Set([...sa.keys(), ...sb.keys()])].sort();
  return names.map((name) => {
    const da = sa.get(name);
    const db = sb.get(name);
    return field(`param ${name}`, da ? describeDistribution(da) : null, db ? describeDistribution(db) : null);
  });
}

/** Datasets matched by name: one of the same name with other content is the headline. */
function datasetRows(a: readonly DatasetFingerprint[], b: readonly DatasetFingerprint[], headlines: string[]): (FieldDiff | null)[] {
  const byName = (list: readonly DatasetFingerprint[]) => new Map(list.map((d) => [d.name, d]));
  const ma = byName(a);
  const mb = byName(b);
  const names = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  const rows: (FieldDiff | null)[] = [];
  for (const name of names) {
    const da = ma.get(name);
    const db = mb.get(name);
    if (da && db && da.sha256 !== db.sha256) {
      headlines.unshift(
        `Dataset ${JSON.stringify(name)} has the same name but different content (sha256 ${short(da.sha256)} against ${short(db.sha256)}` +
          `${da.rows !== db.rows ? `; ${da.rows} rows against ${db.rows}` : ""}).`,
      );
    }
    rows.push(field(`dataset ${name}`, da ? datasetText(da) : null, db ? datasetText(db) : null));
    if (da && db && da.columns.join("\u0000") !== db.columns.join("\u0000")) {
      rows.push(field(`dataset ${name} columns`, da.columns.join(", "), db.columns.join(", ")));
    }
  }
  return rows;
}

function datasetText(d: DatasetFingerprint): string {
  return `${d.rows} rows × ${d.columns.length} columns, sha256 ${short(d.sha256)}`;
}

function packageNames(a: ProvenanceCapture | null, b: ProvenanceCapture | null): string[] {
  return [...new Set([...Object.keys(a?.packages ?? {}), ...Object.keys(b?.packages ?? {})])];
}

function attrText(s: StudySummary, key: string): string | null {
  const value = Object.hasOwn(s.systemAttrs, key) ? s.systemAttrs[key] : undefined;
  return typeof value === "string" ? value : value == null ? null : JSON.stringify(value);
}

function numberText(value: number | null | undefined): string | null {
  return value == null ? null : String(value);
}

function dirtyText(c: ProvenanceCapture | null): string | null {
  if (c === null || c.git.dirty === null) return null;
  return c.git.dirty ? "yes (dirty tree)" : "no (clean tree)";
}

/** How many of a study's runs (the latest and the earlier captures) ran on a dirty tree. */
function dirtyRuns(runs: readonly ProvenanceCapture[]): string | null {
  if (runs.length === 0) return null;
  const dirty = runs.filter((r) => r.git.dirty === true).length;
  return `${dirty} of ${runs.length} run${runs.length === 1 ? "" : "s"}`;
}

function commitsText(runs: readonly ProvenanceCapture[]): string | null {
  if (runs.length === 0) return null;
  const commits = [...new Set(runs.map((r) => r.git.commit ?? "none"))];
  return commits.map((c) => c.slice(0, 12)).join(", ");
}

/** The cell's source on one line (its lines joined by " ⏎ "), cut to 200 characters with its length. */
function cellText(cell: string | null): string | null {
  if (cell === null) return null;
  const lines = cell.split("\n");
  const joined = lines.map((l) => l.trim()).join(" ⏎ ");
  const shown = joined.length > 200 ? `${joined.slice(0, 199)}…` : joined;
  return `${shown} (${lines.length} line${lines.length === 1 ? "" : "s"}, ${cell.length} characters)`;
}

/** A hash cut to its first 12 characters, as git shortens commits. */
export function short(hash: string | null): string | null {
  return hash === null ? null : hash.slice(0, 12);
}
