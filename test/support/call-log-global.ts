import { rmSync } from "node:fs";
import { CALL_LOG_DIR } from "./call-log.js";

/** Each run of the suites records afresh: test/calls/ must see this run's calls, not an older one's. */
export function setup() {
  rmSync(CALL_LOG_DIR, { recursive: true, force: true });
}
