/**
 * The kernel process Jupyter starts (see the kernelspec written by
 * `tunebook kernel install`): `node dist/kernel/main.js <connection file>`.
 */
import { startKernel } from "./kernel.js";

const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error("usage: node main.js <connection file>  (Jupyter starts this through the tunebook kernelspec)");
  process.exit(2);
}
await startKernel(connectionFile);
