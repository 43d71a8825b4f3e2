import { Console } from "node:console";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { logger } from "../lib/runtime/logger.js";

/**
 * Sends the service's JSON logs to a file (truncated: this run's logs), so local mode's terminal
 * shows only the readable event lines. Powertools' Logger writes through its own Console and has
 * no option for another stream, so this one is swapped in; test/e2e/local-mode.test.ts reads the
 * file and fails should an upgrade of the Logger stop honouring it.
 */
export function sendLogsTo(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const file = createWriteStream(path, { flags: "w" });
  (logger as unknown as { console: Console }).console = new Console({ stdout: file, stderr: file });
}
