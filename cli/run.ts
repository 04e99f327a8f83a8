// Runs the CLI from source (`node --import tsx cli/run.ts <command> ...`); bin/tunebook.js runs the build.
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
