import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { StorageError, ValueError } from "../../../core/errors.js";
import { startServer } from "../../../tracker/server/start.js";
import type { StudiesResponse } from "../../../tracker/server/types.js";
import { InMemoryStorage } from "../../../tracker/storage/memory.js";
import { openStorage } from "../../../tracker/storage/open.js";

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tunebook-start-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function statusWithHost(url: string, host: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: "/api/studies", headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", reject);
    req.end();
  });
}

test("a storage path that does not exist is an error, and nothing is created", async () => {
  const path = join(dir, "missing.db");
  await assert.rejects(startServer({ storage: `sqlite:${path}`, port: 0 }), StorageError);
  await assert.rejects(startServer({ storage: path, port: 0 }), StorageError);
  assert.equal(existsSync(path), false);
});

test("serves an SQLite file another connection writes, on 127.0.0.1 by default", async () => {
  const path = join(dir, "served.db");
  const writer = openStorage(path);
  await writer.createStudy({ name: "first", direction: "minimize" });
  const server = await startServer({ storage: `sqlite:${path}`, port: 0, refreshIntervalMs: 0 });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const names = async () =>
      ((await (await fetch(`${server.url}api/studies`)).json()) as StudiesResponse).experiments.flatMap((g) =>
        g.studies.map((s) => s.name),
      );
    assert.deepEqual(await names(), ["first"]);
    await writer.createStudy({ name: "second", direction: "maximize" });
    assert.deepEqual(await names(), ["first", "second"]);
    // Bound to loopback, it answers only requests addressed to loopback names.
    const port = new URL(server.url).port;
    assert.equal(await statusWithHost(server.url, `localhost:${port}`), 200);
    assert.equal(await statusWithHost(server.url, `attacker.example:${port}`), 421);
  } finally {
    await server.close();
    await writer.close();
  }
});

test("a storage passed in stays open after close; one opened from a URL is closed", async () => {
  const storage = new InMemoryStorage();
  const server = await startServer({ storage, port: 0 });
  await server.close();
  assert.equal((await storage.listStudies()).length, 0);

  const path = join(dir, "owned.db");
  await openStorage(path).close();
  const owned = await startServer({ storage: path, port: 0 });
  await owned.close();
  await assert.rejects(owned.storage.listStudies());
});

test("a port in use and bad options are errors that say what to do", async () => {
  const storage = new InMemoryStorage();
  const first = await startServer({ storage, port: 0 });
  try {
    const port = Number(new URL(first.url).port);
    await assert.rejects(
      startServer({ storage, port }),
      (error: Error) => error instanceof ValueError && /already in use.*--port/.test(error.message),
    );
    await assert.rejects(startServer({ storage, port: 70000 }), ValueError);
    await assert.rejects(startServer({ storage, port: 1.5 }), ValueError);
  } finally {
    await first.close();
  }
});
