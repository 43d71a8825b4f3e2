// Loads one Lambda bundle in a fresh Node process, as the runtime's init phase does, and reports
// how long the import took and the CPU the whole process had used by then. bench/init.ts also
// times the process from the outside.
import { pathToFileURL } from "node:url";

const started = performance.now();
const loaded = await import(pathToFileURL(process.argv[2]).href);
const importMs = performance.now() - started;
if (typeof loaded.handler !== "function") {
  console.error(`${process.argv[2]} exports no handler`);
  process.exit(2);
}
const { user, system } = process.cpuUsage();
process.stdout.write(JSON.stringify({ importMs, cpuMs: (user + system) / 1000 }));
