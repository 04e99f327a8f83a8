import type { AddressInfo } from "node:net";
import { type AppOptions, createApp } from "../../../tracker/server/app.js";
import type { Storage } from "../../../tracker/storage/storage.js";

/** The app listening on a free port of 127.0.0.1. */
export async function serve(storage: Storage, options: AppOptions = {}): Promise<{ base: string; close(): Promise<void> }> {
  const app = createApp(storage, { refreshIntervalMs: 0, ...options });
  const server = await new Promise<import("node:http").Server>((resolve, reject) => {
    const s = app.listen(0, "127.0.0.1", (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function get<T = unknown>(base: string, path: string, init?: RequestInit): Promise<Answer<T>> {
  const response = await fetch(base + path, init);
  const text = await response.text();
  let body: unknown;
  if ((response.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T, text };
}
