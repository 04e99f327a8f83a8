import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkOptionKeys, show, TunebookError, ValueError } from "../core/errors.js";
import { packageRoot } from "./package-root.js";

/** The kernelspec name and the name notebooks show. */
export const KERNEL_NAME = "tunebook";
export const KERNEL_DISPLAY_NAME = "TypeScript (tunebook)";

export interface InstallKernelOptions {
  /** Install for the current user only (the default when `prefix` is not given). */
  user?: boolean;
  /** Install under `<prefix>/share/jupyter/kernels/` (e.g. a virtual environment or a test folder). */
  prefix?: string;
  /** The `jupyter` command to run (default `$JUPYTER`, else `jupyter` on the PATH). */
  jupyter?: string;
  /** How Jupyter interrupts the kernel (default "signal"); see `InterruptMode`. */
  interruptMode?: InterruptMode;
}

/**
 * "signal": Jupyter sends SIGINT, which also stops a cell stuck in a synchronous loop.
 * "message": Jupyter sends an `interrupt_request` on the control channel, which works
 * where signals do not reach the kernel (a remote kernel, Windows); it reaches a cell
 * while it awaits (a study between trials, a timer, I/O). The kernel answers both.
 */
export type InterruptMode = "signal" | "message";
export const INTERRUPT_MODES: readonly InterruptMode[] = ["signal", "message"];

/** What a kernelspec install did. */
export interface InstalledKernel {
  name: string;
  /** The kernelspec folder Jupyter copied the spec to. */
  directory: string;
  /** The kernel.json written. */
  spec: KernelSpec;
}

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: InterruptMode;
  metadata: Record<string, unknown>;
}

/**
 * The kernelspec: Node (this very executable) running the compiled kernel entry,
 * both as absolute paths so notebooks in any folder start the same kernel.
 */
export function kernelSpec(root = packageRoot(), interruptMode: InterruptMode = "signal"): KernelSpec {
  return {
    argv: [process.execPath, join(root, "dist", "kernel", "main.js"), "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    // Either way, the kernel stops a study gently.
    interrupt_mode: interruptMode,
    metadata: { tunebook: { packageRoot: root } },
  };
}

/**
 * `tunebook kernel install [--user | --prefix <dir>]`: writes the kernelspec through
 * Jupyter's own `jupyter kernelspec install`, replacing an earlier tunebook kernelspec.
 */
export function installKernel(options: InstallKernelOptions = {}): InstalledKernel {
  checkOptionKeys("installKernel", options, ["user", "prefix", "jupyter", "interruptMode"]);
  if (options.user && options.prefix !== undefined) throw new ValueError("kernel install: give --user or --prefix <dir>, not both.");
  if (options.prefix !== undefined && (typeof options.prefix !== "string" || options.prefix === "")) {
    throw new ValueError(`kernel install: --prefix needs a folder, got ${show(options.prefix)}.`);
  }
  if (options.interruptMode !== undefined && !INTERRUPT_MODES.includes(options.interruptMode)) {
    throw new ValueError(`kernel install: the interrupt mode must be signal or message, got ${show(options.interruptMode)}.`);
  }
  const root = packageRoot();
  const spec = kernelSpec(root, options.interruptMode);
  if (!existsSync(spec.argv[1])) {
    throw new TunebookError(`kernel install: the compiled kernel ${spec.argv[1]} is missing. Run \`npm run build\` in ${root} first.`);
  }
  const jupyter = options.jupyter ?? process.env.JUPYTER ?? "jupyter";
  const staging = mkdtempSync(join(tmpdir(), "tunebook-kernelspec-"));
  try {
    const source = join(staging, KERNEL_NAME);
    mkdirSync(source);
    writeFileSync(join(source, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`);
    const args = ["kernelspec", "install", source, "--name", KERNEL_NAME, "--replace"];
    if (options.prefix !== undefined) args.push("--prefix", options.prefix);
    else args.push("--user");
    const result = spawnSync(jupyter, args, { encoding: "utf8" });
    if (result.error) {
      const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
      throw new TunebookError(
        missing
          ? `kernel install: Jupyter is not installed (no ${show(jupyter)} command). Install it (e.g. \`pip install jupyterlab\`) or set $JUPYTER to its path.`
          : `kernel install: running ${jupyter} failed: ${result.error.message}`,
      );
    }
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) throw new TunebookError(`kernel install: \`${jupyter} ${args.join(" ")}\` failed:\n${output.trim()}`);
    const installed = /Installed kernelspec \S+ in (.+)/.exec(output);
    return { name: KERNEL_NAME, directory: installed ? installed[1].trim() : "", spec };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
