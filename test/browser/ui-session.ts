import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { type RunningServer, startServer } from "../../tracker/server/start.js";
import { openStorage } from "../../tracker/storage/open.js";
import type { Storage } from "../../tracker/storage/storage.js";
import { launch, type PageWatch, watchedPage } from "./chromium.js";

/** The UI over an SQLite file another connection writes (as a study process would), and a Chromium to look at it. */
export interface UiSession {
  writer: Storage;
  server: RunningServer;
  browser: Browser;
  /** The server's URL of `path` ("/studies/1"). */
  url(path: string): string;
  /** A new watched page (see `watchedPage`) at `path`. */
  open(path: string): Promise<{ page: Page; watch: PageWatch }>;
  close(): Promise<void>;
}

/** A fresh SQLite file in a temp folder, filled by `fill` before the server starts (which polls every `pollMs`). */
export async function openUiSession(name: string, fill: (writer: Storage) => Promise<void>, pollMs: number): Promise<UiSession> {
  const dir = mkdtempSync(join(tmpdir(), `tunebook-${name}-`));
  const path = join(dir, `${name}.db`);
  const writer = openStorage(path);
  await fill(writer);
  const server = await startServer({ storage: `sqlite:${path}`, port: 0, pollMs, refreshIntervalMs: 0 });
  const browser = await launch();
  const url = (p: string) => server.url.replace(/\/$/, "") + p;
  return {
    writer,
    server,
    browser,
    url,
    async open(p) {
      const watched = await watchedPage(browser);
      await watched.page.goto(url(p));
      return watched;
    },
    async close() {
      await browser.close();
      await server.close();
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
