import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { parseFilterField, parseTrialFilter } from "../../../core/trial-filter/parser.js";
import { printTrialFilter } from "../../../core/trial-filter/print.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { PostgresStorage } from "../../../tracker/storage/postgres.js";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import type { Storage, TrialQueryOptions } from "../../../tracker/storage/storage.js";
import { skipWithoutPostgres, sqlRows, testPostgres } from "../../helpers/postgres.js";
import { filterArb, orderArb, studySpec, writeStudy } from "./trial-filter-cases.js";

const server = await testPostgres();
const skipPostgres = skipWithoutPostgres(server);

/** The numbers of a page, and how many match, as each storage answers. */
async function answer(storage: Storage, studyId: number, options: TrialQueryOptions): Promise<{ numbers: number[]; total: number }> {
  const page = await storage.queryTrials(studyId, options);
  return { numbers: page.trials.map((t) => t.number), total: page.total };
}

/** Runs the property over memory and one SQL storage: same studies, same filters, same pages. */
function agreesWithMemory(
  name: string,
  open: () => Promise<{ storage: Storage; close(): Promise<void> }>,
  runs: number,
  skip: string | false,
) {
  describe(`${name} answers trial filters as the in-memory evaluator does`, { skip }, () => {
    let sqlStorage: Storage;
    let close: () => Promise<void>;
    let studies = 0;
    before(async () => {
      ({ storage: sqlStorage, close } = await open());
    });
    after(async () => close?.());

    it("filters, sorts and pages random studies alike", async () => {
      await fc.assert(
        fc.asyncProperty(
          studySpec,
          fc.array(
            fc.record({
              where: fc.option(filterArb, { nil: undefined }),
              orderBy: orderArb,
              limit: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
              offset: fc.integer({ min: 0, max: 6 }),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          async (spec, queries) => {
            const memory = new InMemoryStorage();
            const studyName = `s${studies++}`;
            const memoryId = await writeStudy(memory, studyName, spec);
            const sqlId = await writeStudy(sqlStorage, studyName, spec);
            for (const q of queries) {
              const expected = await answer(memory, memoryId, q);
              const got = await answer(sqlStorage, sqlId, q);
              assert.deepEqual(
                got,
                expected,
                `where ${q.where ? printTrialFilter(q.where) : "(none)"}, order ${JSON.stringify(q.orderBy)}`,
              );
            }
          },
        ),
        { numRuns: runs },
      );
    });

    it("finds every matching trial of a filter given as text, through states too", async () => {
      const memory = new InMemoryStorage();
      const spec = fc.sample(studySpec, { numRuns: 1, seed: 7 })[0];
      const name = `text${studies++}`;
      const memoryId = await writeStudy(memory, name, spec);
      const sqlId = await writeStudy(sqlStorage, name, spec);
      const where = parseTrialFilter('params.x > 0 or params."learning rate" < 0 or not params.c in ("adam", 2.5)');
      for (const states of [undefined, ["COMPLETE" as const], []]) {
        assert.deepEqual(await answer(sqlStorage, sqlId, { where, states }), await answer(memory, memoryId, { where, states }));
      }
    });
  });
}

agreesWithMemory(
  "SQLite",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunebook-filter-"));
    const storage = new SqliteStorage(join(dir, "filter.db"));
    return {
      storage,
      close: async () => {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  150,
  false,
);

/** A PostgreSQL storage on a fresh schema of the test server, and how to close and drop it. */
async function freshPostgres(): Promise<{ storage: PostgresStorage; url: string; close: () => Promise<void> }> {
  if (typeof server === "string") throw new Error(server);
  const { url, drop } = await server.freshSchema();
  const storage = new PostgresStorage(url);
  return {
    storage,
    url,
    close: async () => {
      await storage.close();
      await drop();
    },
  };
}

agreesWithMemory("PostgreSQL", freshPostgres, 60, skipPostgres);

const HOSTILE = ["'; DROP TABLE trials; --", '"; DROP TABLE trials; --', "\\", "\\'", "' OR '1'='1", "😀\u202e", "%", "_", "\u00a0"];

/** Escapes a string as a filter's double-quoted literal. */
const quoted = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

function survivesHostileInput(
  name: string,
  open: () => Promise<{ storage: Storage; tables(): Promise<number>; close(): Promise<void> }>,
  skip: string | false,
) {
  describe(`${name} keeps hostile filter text out of its SQL`, { skip }, () => {
    it("matches nothing with hostile literals and names, and leaves every table in place", async () => {
      const { storage, tables, close } = await open();
      try {
        const studyId = await storage.createStudy({ name: "hostile", direction: "minimize" });
        await storage.createTrial(studyId, {
          state: "COMPLETE",
          value: 1,
          params: { x: 1 },
          distributions: { x: { name: "FloatDistribution", attributes: { low: 0, high: 2, log: false, step: null } } },
          userAttrs: { tag: "ok" },
        });
        const before = await tables();
        for (const text of HOSTILE) {
          for (const filter of [
            `params.x = ${quoted(text)}`,
            `params.${quoted(text)} = 1`,
            `user_attrs.${quoted(text)} = ${quoted(text)}`,
            `user_attrs.tag in (${quoted(text)}, ${quoted(`${text}x`)})`,
            `user_attrs.tag > ${quoted(text)} or user_attrs.tag < ${quoted(text)}`,
          ]) {
            const page = await storage.queryTrials(studyId, {
              where: parseTrialFilter(filter),
              orderBy: { field: parseFilterField(`params.${quoted(text)}`), direction: "asc" },
            });
            const expected = filter.includes(" > ") ? ["ok"].filter((t) => t > text || t < text).length : 0;
            assert.equal(page.total, expected, filter);
          }
        }
        assert.equal(await tables(), before);
        assert.equal((await storage.getAllTrials(studyId)).length, 1);
      } finally {
        await close();
      }
    });

    it("refuses a NUL in the filter before reaching the database", () => {
      assert.throws(() => parseTrialFilter('params.x = "a\u0000b"'), /NUL character at 14/);
      assert.throws(() => parseTrialFilter('params."\\u0000" = 1'), /NUL character/);
    });
  });
}

survivesHostileInput(
  "SQLite",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunebook-hostile-"));
    const path = join(dir, "hostile.db");
    const storage = new SqliteStorage(path);
    const { default: Database } = await import("better-sqlite3");
    return {
      storage,
      tables: async () => {
        const db = new Database(path, { readonly: true });
        try {
          return (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
        } finally {
          db.close();
        }
      },
      close: async () => {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  false,
);

survivesHostileInput(
  "PostgreSQL",
  async () => {
    const postgres = await freshPostgres();
    const { url } = postgres;
    return {
      ...postgres,
      tables: async () => {
        const [row] = await sqlRows<{ n: string }>(
          url,
          "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()",
        );
        return Number(row.n);
      },
    };
  },
  skipPostgres,
);
