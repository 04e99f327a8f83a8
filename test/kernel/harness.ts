/**
 * Running the real Jupyter client against the tunebook kernel: the compiled
 * package (dist/), the kernelspec installed to a temporary prefix, and a Python
 * driver (jupyter_client / nbclient from /usr/bin/python3).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { packageRoot } from "../../kernel/package-root.js";

export const root = packageRoot();
export const PYTHON = process.env.TUNEBOOK_PYTHON ?? "/usr/bin/python3";

/** Why the Jupyter tests cannot run here, or null when they can. */
export function jupyterMissing(): string | null {
  const python = spawnSync(PYTHON, ["-c", "import jupyter_client, nbclient, nbformat"], { encoding: "utf8" });
  if (python.error || python.status !== 0)
    return `${PYTHON} cannot import jupyter_client/nbclient/nbformat (${(python.error?.message ?? python.stderr).trim()})`;
  const jupyter = spawnSync("jupyter", ["kernelspec", "--version"], { encoding: "utf8" });
  if (jupyter.error || jupyter.status !== 0) return "the `jupyter` command is not on the PATH";
  return null;
}

/** Skips the test, loudly, when Jupyter is missing; fails instead when TUNEBOOK_REQUIRE_ALL=1. */
export function requireJupyter(t: TestContext): boolean {
  const why = jupyterMissing();
  if (why === null) return true;
  if (process.env.TUNEBOOK_REQUIRE_ALL === "1") throw new Error(`Jupyter is required (TUNEBOOK_REQUIRE_ALL=1) but ${why}.`);
  console.warn(`SKIPPED: Jupyter kernel tests need Jupyter: ${why}.`);
  t.skip(`Jupyter is not installed: ${why}`);
  return false;
}

/** Compiles the package when dist/ is missing or older than a source file. */
export function ensureBuilt(): void {
  const entry = join(root, "dist", "kernel", "main.js");
  if (existsSync(entry) && newestSource() <= statSync(entry).mtimeMs) return;
  // Errors in files being written elsewhere do not stop tsc from emitting.
  spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], {
    stdio: "ignore",
  });
  if (!existsSync(entry)) throw new Error(`Building the package did not produce ${entry}; run \`npm run build\`.`);
}

function newestSource(): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  // Everything a notebook imports from "tunebook" (index.ts re-exports these folders).
  for (const dir of ["core", "learn", "tune", "select", "tracker", "kernel"]) visit(join(root, dir));
  return Math.max(newest, statSync(join(root, "index.ts")).mtimeMs);
}

/** Installs the kernelspec with the `tunebook` command; returns the env the client needs. */
export function installKernelToTemp(): { prefix: string; env: NodeJS.ProcessEnv } {
  const prefix = mkdtempSync(join(tmpdir(), "tunebook-jupyter-"));
  execFileSync(process.execPath, [join(root, "bin", "tunebook.js"), "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
  return { prefix, env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"), PYDEVD_DISABLE_FILE_VALIDATION: "1" } };
}

export interface KernelMessage {
  type: string;
  content: Record<string, unknown> & { name?: string; text?: string; data?: Record<string, unknown>; transient?: { display_id?: string } };
}

export interface StepResult {
  status: string;
  reply: Record<string, unknown>;
  messages: KernelMessage[];
  interrupted?: boolean;
}

export type Step =
  | { execute: string; timeout?: number; interrupt_after_updates?: number; interrupt_twice?: boolean }
  | { complete: string; cursor_pos: number }
  | { inspect: string; cursor_pos: number };

/** Runs the steps in one kernel started in `cwd`. */
export function driveKernel(env: NodeJS.ProcessEnv, cwd: string, steps: Step[]): StepResult[] {
  const result = spawnSync(PYTHON, [join(root, "test", "kernel", "drive_kernel.py")], {
    input: JSON.stringify({ kernel: "tunebook", cwd, steps }),
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`the kernel driver failed (${result.status}):\n${result.stderr}`);
  return (JSON.parse(result.stdout) as { steps: StepResult[] }).steps;
}

/** Text the cell wrote to a stream. */
export function streamText(step: StepResult, name: "stdout" | "stderr"): string {
  return step.messages
    .filter((m) => m.type === "stream" && m.content.name === name)
    .map((m) => m.content.text)
    .join("");
}

/** display_data and update_display_data messages, in order. */
export function displays(step: StepResult): KernelMessage[] {
  return step.messages.filter((m) => m.type === "display_data" || m.type === "update_display_data");
}

export function plain(message: KernelMessage): string {
  return String(message.content.data?.["text/plain"] ?? "");
}
