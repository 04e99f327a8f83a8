import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { SqliteStorage } from "../../../tracker/storage/sqlite.js";
import { runStorageContract } from "./contract.js";

const dir = mkdtempSync(join(tmpdir(), "tunebook-sqlite-contract-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStorageContract("SQLite file", () => new SqliteStorage(join(dir, `contract-${n++}.db`)));
runStorageContract("SQLite :memory:", () => new SqliteStorage(":memory:"), { propertyRuns: 20 });
