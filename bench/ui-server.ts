/**
 * One tracker server for bench/ui.ts, in a process of its own so that its first request is
 * cold: `node --import tsx bench/ui-server.ts <sqlite path>` prints `listening <url>` once
 * ready and serves until killed.
 */
import { startServer } from "../tracker/server/start.js";

const path = process.argv[2];
if (!path) throw new Error("usage: node --import tsx bench/ui-server.ts <sqlite path>");
const server = await startServer({ storage: `sqlite:${path}`, port: 0 });
console.log(`listening ${server.url}`);
// Closed on SIGTERM, as `tunebook ui` closes: the storage removes what it keeps on disk.
process.once("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
