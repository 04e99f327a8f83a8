import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createStudy, InMemoryStorage, parseTrialFilter, RandomSampler, setVerbosity, TrialFilterError } from "../../index.js";
import { SqliteStorage } from "../../tracker/storage/sqlite.js";

setVerbosity("silent");

describe("study.trials({ where })", () => {
  for (const [name, open] of [
    ["in memory", () => ({ storage: new InMemoryStorage(), done: () => {} })],
    [
      "on SQLite",
      () => {
        const dir = mkdtempSync(join(tmpdir(), "tunebook-where-"));
        return { storage: new SqliteStorage(join(dir, "s.db")), done: () => rmSync(dir, { recursive: true, force: true }) };
      },
    ],
  ] as const) {
    it(`filters by a string or a parsed filter, with states, ${name}`, async () => {
      const { storage, done } = open();
      try {
        const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 4 }) });
        await study.optimize(
          (trial) => {
            const k = trial.suggestInt("k", 0, 10);
            const opt = trial.suggestCategorical("opt", ["adam", "sgd"]);
            if (k === 0) throw new Error("k = 0 fails");
            return k / 10 + (opt === "adam" ? 0 : 0.05);
          },
          { nTrials: 30, catch: [Error] },
        );
        const all = await study.trials();
        const expected = all.filter((t) => (t.params.k as number) > 5 && (t.state !== "COMPLETE" || t.params.opt === "adam"));
        const got = await study.trials({ where: 'params.k > 5 and (state != COMPLETE or params.opt = "adam")' });
        assert.ok(expected.length > 0);
        assert.deepEqual(got, expected);
        assert.deepEqual(await study.trials({ where: parseTrialFilter("params.k > 5"), states: ["FAIL"] }), []);
        const small = await study.trials({ where: "value < 0.3", states: ["COMPLETE"] });
        assert.deepEqual(
          small.map((t) => t.number),
          all.filter((t) => t.state === "COMPLETE" && t.values![0] < 0.3).map((t) => t.number),
        );
        await assert.rejects(study.trials({ where: "params.k => 5" }), TrialFilterError);
        await assert.rejects(study.trials({ wher: "x" } as never), /unknown option "wher". Did you mean "where"\?/);
      } finally {
        await storage.close();
        done();
      }
    });
  }
});
