#!/usr/bin/env node
// The `tunebook` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("tunebook: the compiled code is missing (dist/). Run `npm install` or `npm run build` in the tunebook folder first.");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
