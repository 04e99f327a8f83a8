import { lookup } from "node:dns/promises";
import type { Server } from "node:http";
import { type AddressInfo, isIP } from "node:net";
import { show, ValueError } from "../../core/errors.js";
import { openStorage } from "../storage/open.js";
import type { Storage } from "../storage/storage.js";
import { hostPort, isLoopback, reachableUrls } from "./addresses.js";
import { type AppOptions, createApp } from "./app.js";

export interface StartServerOptions extends Omit<AppOptions, "allowedHosts"> {
  /**
   * The storage to show: an open `Storage` (left open on close), or a URL opened here
   * read-only (the database stays exactly as it is; a missing one is an error, never
   * created) and closed on close.
   * Default: what `openStorage` defaults to ($TUNEBOOK_STORAGE, else ./tunebook.db).
   */
  storage?: Storage | string;
  /** Port to listen on (default 5177; 0 picks a free one). */
  port?: number;
  /**
   * Address to bind (default 127.0.0.1: only this machine can connect). On a loopback
   * address the UI answers only requests addressed to it or to localhost; on any
   * other (0.0.0.0, ::, a public address) it answers anyone, and warns so.
   */
  host?: string;
  /** Where the warning about a UI open beyond this machine goes (default: stderr). */
  onWarning?: (message: string) => void;
}

export interface RunningServer {
  /** Where to open the UI on this machine, e.g. `http://127.0.0.1:5177/`. */
  url: string;
  /** Every URL the UI answers at: `url` alone on one address, each interface's for 0.0.0.0 or ::. */
  urls: string[];
  storage: Storage;
  /** Stops listening, and closes the storage if it was opened here. */
  close(): Promise<void>;
}

/** Starts the tracker UI; resolves once it is listening. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const { storage: storageOption, port = 5177, host = "127.0.0.1", onWarning = printWarning, ...appOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ValueError(`startServer: port must be an integer from 0 to 65535, got ${show(port)}.`);
  if (typeof host !== "string" || host === "")
    throw new ValueError(`startServer: host must be an address such as "127.0.0.1", got ${show(host)}.`);
  // Bind the address the check below judged: a name is resolved once, here.
  const address = await resolveHost(host);
  const loopback = isLoopback(address);
  const ownsStorage = typeof storageOption !== "object";
  const storage = openStorage(storageOption, { readOnly: true, mustExist: true });

  // The Host check needs the real port, known only after listen; the check reads this array per request.
  const allowedHosts: string[] = [];
  const app = createApp(storage, { ...appOptions, allowedHosts: loopback ? allowedHosts : undefined });
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, address, (error?: Error) => (error ? reject(error) : resolve(s)));
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
  const urls = reachableUrls(address, actualPort);
  // A name that leads to loopback (localhost) is shown as given.
  const url = loopback && isIP(host) === 0 ? `http://${hostPort(host, actualPort)}/` : urls[0];
  if (loopback) allowedHosts.push(...new Set([new URL(url).host, hostPort(address, actualPort), hostPort("localhost", actualPort)]));
  else onWarning(exposureWarning(host, urls));
  return {
    url,
    urls: loopback ? [url] : urls,
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

/** The address `host` names: itself for an IP address, else the first one the resolver gives (as `listen` would bind). */
async function resolveHost(host: string): Promise<string> {
  if (isIP(host) !== 0) return host;
  try {
    return (await lookup(host)).address;
  } catch {
    throw new ValueError(`Cannot bind ${show(host)}: no such local address; pass --host 127.0.0.1.`);
  }
}

function exposureWarning(host: string, urls: readonly string[]): string {
  return (
    `The tracker UI listens on ${host}, beyond this machine, and has no authentication: anyone who can reach it reads every study. ` +
    `It answers at ${urls.join(", ")}. Pass --host 127.0.0.1 to keep it to this machine.`
  );
}

function printWarning(message: string): void {
  process.stderr.write(`tunebook ui: warning: ${message}\n`);
}
