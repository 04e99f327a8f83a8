import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TunebookError } from "../../core/errors.js";

/**
 * The page scripts, written in TypeScript next to this file (public/*.ts). The build
 * compiles them to public/*.js, which is served as is; run from source, each is
 * transpiled once with the TypeScript compiler and kept in memory.
 */
export const PAGE_SCRIPTS = [
  "common",
  "charts",
  "studies",
  "study",
  "trials",
  "trial",
  "compare",
  "refine",
  "paired-tests",
  "compare-nested",
  "diff",
  "provenance",
  "study-search",
  "trial-views",
] as const;
export type PageScript = (typeof PAGE_SCRIPTS)[number];

const cache = new Map<PageScript, Promise<string>>();

export function isPageScript(name: string): name is PageScript {
  return (PAGE_SCRIPTS as readonly string[]).includes(name);
}

export function pageScript(name: PageScript): Promise<string> {
  let source = cache.get(name);
  if (!source) {
    source = load(name);
    cache.set(name, source);
    source.catch(() => cache.delete(name));
  }
  return source;
}

async function load(name: PageScript): Promise<string> {
  const compiled = fileURLToPath(new URL(`./public/${name}.js`, import.meta.url));
  if (existsSync(compiled)) return readFileSync(compiled, "utf8").replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  const sourcePath = fileURLToPath(new URL(`./public/${name}.ts`, import.meta.url));
  if (!existsSync(sourcePath)) throw new TunebookError(`The page script ${name} is missing; reinstall tunebook.`);
  let ts: typeof import("typescript");
  try {
    ts = (await import("typescript")).default;
  } catch {
    throw new TunebookError(
      `The page script ${name} is not compiled and TypeScript is not installed to compile it; run \`npm run build\`.`,
    );
  }
  const output = ts.transpileModule(readFileSync(sourcePath, "utf8"), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: true },
    fileName: `${name}.ts`,
  });
  return output.outputText;
}
