import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DistributionJson } from "../../../../core/records.js";
import type { Sql, SqlDialect, SqlSyntax, TransactionKind } from "../../../../tracker/storage/sql/port.js";
import { SqlStorage } from "../../../../tracker/storage/sql/storage.js";
import { SQLITE_SYNTAX, SqliteDialect } from "../../../../tracker/storage/sqlite.js";

const FLOAT: DistributionJson = { name: "FloatDistribution", attributes: { low: 0, high: 1, log: false, step: null } };

/** An in-memory SQLite dialect that records the kind of every transaction, with some syntax replaced. */
class RecordingDialect implements SqlDialect {
  readonly kinds: TransactionKind[] = [];
  readonly syntax: SqlSyntax;
  private readonly sqlite = new SqliteDialect(":memory:");
  readonly url = this.sqlite.url;
  readonly readOnly = false;

  constructor(syntax: Partial<SqlSyntax> = {}) {
    this.syntax = { ...SQLITE_SYNTAX, ...syntax };
  }

  transaction<T>(kind: TransactionKind, work: () => Sql<T>): Promise<T> {
    this.kinds.push(kind);
    return this.sqlite.transaction(kind, work);
  }

  isUniqueViolation(error: unknown): boolean {
    return this.sqlite.isUniqueViolation(error);
  }

  close(): Promise<void> {
    return this.sqlite.close();
  }

  /** The kinds recorded since the last call. */
  take(): TransactionKind[] {
    return this.kinds.splice(0);
  }
}

describe("the SQL storage over a dialect", () => {
  test("each method is one transaction; finishing a trial is a durable write, never mere progress", async () => {
    const dialect = new RecordingDialect();
    const storage = new SqlStorage(dialect);
    const id = await storage.createStudy({ name: "s", direction: "minimize" });
    await storage.setStudyUserAttr(id, "k", 1);
    assert.deepEqual(dialect.take(), ["write", "write"]);

    const trial = (await storage.createTrial(id))!;
    assert.deepEqual(dialect.take(), ["write"]);
    await storage.setTrialParam(trial.trialId, "x", 0.5, FLOAT);
    await storage.setTrialIntermediateValue(trial.trialId, 0, 1);
    await storage.setTrialUserAttr(trial.trialId, "k", 1);
    await storage.setTrialSystemAttr(trial.trialId, "k", 1);
    await storage.recordHeartbeat(trial.trialId);
    assert.deepEqual(dialect.take(), ["progress", "progress", "progress", "progress", "progress"]);
    await storage.finishTrial(trial.trialId, "COMPLETE", [1]);
    assert.deepEqual(dialect.take(), ["write"]);

    await storage.getStudyIdByName("s");
    await storage.getStudy(id);
    await storage.listStudies();
    await storage.getTrial(trial.trialId);
    await storage.getAllTrials(id);
    await storage.countTrials(id);
    await storage.claimedKeys(id);
    assert.deepEqual(dialect.take(), Array(7).fill("snapshot"));

    await storage.createTrial(id, { state: "WAITING" });
    dialect.take();
    await storage.claimWaitingTrial(id);
    assert.deepEqual(dialect.take(), ["write"]);
    await storage.deleteStudy(id);
    assert.deepEqual(dialect.take(), ["write"]);
    await storage.close();
  });

  test("failStaleTrials looks in a snapshot first and writes only when something is stale", async () => {
    const dialect = new RecordingDialect();
    const storage = new SqlStorage(dialect);
    const id = await storage.createStudy({ name: "s", direction: "minimize" });
    const trial = (await storage.createTrial(id, { datetimeStart: new Date(Date.now() - 60_000) }))!;
    dialect.take();
    assert.deepEqual(await storage.failStaleTrials(id, 120), []);
    assert.deepEqual(dialect.take(), ["snapshot"]);
    const failed = await storage.failStaleTrials(id, 30);
    assert.deepEqual(
      failed.map((t) => [t.trialId, t.state]),
      [[trial.trialId, "FAIL"]],
    );
    assert.deepEqual(dialect.take(), ["snapshot", "write"]);
    await storage.close();
  });

  test("claim lookups in batches keep the order of the keys, across batch boundaries", async () => {
    const storage = new SqlStorage(new RecordingDialect({ keysPerLookup: 2 }));
    const id = await storage.createStudy({ name: "s", direction: "minimize" });
    const keys = ["a", "b", "c", "d", "e"];
    const claimed: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) claimed.push((await storage.createTrial(id, {}, { claimOneOf: keys }))?.claimedKey);
    assert.deepEqual(claimed, ["a", "b", "c", "d", "e", undefined]);
    const late = await storage.createTrial(id, {}, { claimOneOf: ["e", "d", "f", "c"] });
    assert.equal(late?.claimedKey, "f");
    await storage.close();
  });
});
