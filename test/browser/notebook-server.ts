/**
 * Debian's classic Jupyter Notebook server (`jupyter-notebook`, Notebook 6) over a
 * temporary folder, with the tunebook kernelspec installed to a temporary prefix: the
 * server a person opens in a browser, started and stopped by the tests.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuilt, installKernelToTemp } from "../kernel/harness.js";

/** Debian's launcher of the classic notebook (package jupyter-notebook). */
export const JUPYTER_NOTEBOOK = "/usr/bin/jupyter-notebook";

/**
 * Why the classic notebook cannot run here, or null when it can. With
 * TUNEBOOK_REQUIRE_ALL=1 a missing server is a failure, not a skip.
 */
export function notebookServerUnavailable(): string | null {
  const probe = existsSync(JUPYTER_NOTEBOOK) ? spawnSync(JUPYTER_NOTEBOOK, ["--version"], { encoding: "utf8" }) : null;
  if (probe && !probe.error && probe.status === 0) return null;
  const why = probe
    ? `${JUPYTER_NOTEBOOK} --version failed (${(probe.error?.message ?? probe.stderr).trim()})`
    : `${JUPYTER_NOTEBOOK} is missing (install Debian's jupyter-notebook package)`;
  if (process.env.TUNEBOOK_REQUIRE_ALL === "1") throw new Error(`Notebook browser tests are required (TUNEBOOK_REQUIRE_ALL=1) but ${why}.`);
  console.warn(`\n*** SKIPPING notebook browser tests: ${why}. ***\n`);
  return why;
}

export interface NotebookServer {
  /** The folder the server serves (notebooks, and the tracker files they write). */
  dir: string;
  /** `http://127.0.0.1:<port>` */
  base: string;
  token: string;
  /** The page of a notebook in `dir`, logged in by the token. */
  notebookUrl(name: string): string;
  /** A call to the server's REST API (`/api/...`) with the token. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  /** What the server printed (its log), for failure messages. */
  log(): string;
  /** Shuts down every kernel, stops the server and removes the temporary folders. */
  stop(): Promise<void>;
}

/** A port nothing listens on now (the server is told not to try others). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the server on 127.0.0.1, a free port and a random token, serving a new
 * temporary folder that `fill` populates first; resolves once its API answers.
 * Its configuration, data and runtime folders are temporary too, so nothing of the
 * user's Jupyter setup is read or written.
 */
export async function startNotebookServer(fill: (dir: string) => void): Promise<NotebookServer> {
  ensureBuilt();
  const { prefix, env } = installKernelToTemp();
  const home = mkdtempSync(join(tmpdir(), "tunebook-notebook-server-"));
  const dir = join(home, "notebooks");
  mkdirSync(dir);
  fill(dir);
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    JUPYTER_NOTEBOOK,
    [
      "--no-browser",
      "--allow-root",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${dir}`,
      "--MappingKernelManager.default_kernel_name=tunebook",
    ],
    {
      cwd: dir,
      env: {
        ...env,
        JUPYTER_CONFIG_DIR: join(home, "config"),
        JUPYTER_DATA_DIR: join(home, "data"),
        JUPYTER_RUNTIME_DIR: join(home, "runtime"),
        IPYTHONDIR: join(home, "ipython"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? "GET",
      headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  const cleanUp = () => {
    rmSync(home, { recursive: true, force: true });
    rmSync(prefix, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      cleanUp();
      throw new Error(`jupyter-notebook exited before answering (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    const status = await api("/api/status").then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      cleanUp();
      throw new Error(`jupyter-notebook did not answer on ${base} within 60 s:\n${output}`);
    }
    await sleep(200);
  }

  return {
    dir,
    base,
    token,
    notebookUrl: (name) => `${base}/notebooks/${encodeURIComponent(name)}?token=${token}`,
    api,
    log: () => output,
    async stop() {
      try {
        // Kernels first, through the API, so none outlives the server.
        const kernels = (await (await api("/api/kernels")).json()) as { id: string }[];
        await Promise.all(kernels.map((k) => api(`/api/kernels/${k.id}`, { method: "DELETE" })));
      } catch {
        // The server may already be gone; its exit below still ends the kernels it started.
      }
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killed = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
        if (!killed) {
          child.kill("SIGKILL");
          await exited;
        }
      }
      cleanUp();
    },
  };
}
