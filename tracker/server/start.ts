import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { show, ValueError } from "../../core/errors.js";
import { openStorage } from "../storage/open.js";
import type { Storage } from "../storage/storage.js";
import { type AppOptions, createApp } from "./app.js";

export interface StartServerOptions extends Omit<AppOptions, "allowedHosts"> {
  /**
   * The storage to show: an open `Storage` (left open on close), or a URL opened here
   * with `mustExist` (a missing file is an error, never created) and closed on close.
   * Default: what `openStorage` defaults to ($TUNEBOOK_STORAGE, else ./tunebook.db).
   */
  storage?: Storage | string;
  /** Port to listen on (default 5177; 0 picks a free one). */
  port?: number;
  /** Address to bind (default 127.0.0.1: only this machine can connect). */
  host?: string;
}

export interface RunningServer {
  /** Where the UI is, e.g. `http://127.0.0.1:5177/`. */
  url: string;
  storage: Storage;
  /** Stops listening, and closes the storage if it was opened here. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** Starts the tracker UI; resolves once it is listening. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const { storage: storageOption, port = 5177, host = "127.0.0.1", ...appOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ValueError(`startServer: port must be an integer from 0 to 65535, got ${show(port)}.`);
  if (typeof host !== "string" || host === "")
    throw new ValueError(`startServer: host must be an address such as "127.0.0.1", got ${show(host)}.`);
  const ownsStorage = typeof storageOption !== "object";
  const storage = openStorage(storageOption, { mustExist: true });

  // The Host check needs the real port, known only after listen; the check reads this array per request.
  const allowedHosts: string[] = [];
  const app = createApp(storage, { ...appOptions, allowedHosts: LOOPBACK.has(host) ? allowedHosts : undefined });
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
    });
  } catch (error) {
    if (ownsStorage) await storage.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new ValueError(`Port ${port} on ${host} is already in use; pass another with --port (or 0 for any free port).`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw new ValueError(`Cannot bind ${show(host)}: no such local address; pass --host 127.0.0.1.`);
    throw error;
  }
  const actualPort = (server.address() as AddressInfo).port;
  allowedHosts.push(`127.0.0.1:${actualPort}`, `localhost:${actualPort}`, `[::1]:${actualPort}`);
  const shownHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${shownHost}:${actualPort}/`,
    storage,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      if (ownsStorage) await storage.close();
    },
  };
}
