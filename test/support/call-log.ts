import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { expect } from "vitest";

/** Where the suites' AWS call records go (git-ignored); test/calls/ simulates them after the suites. */
export const CALL_LOG_DIR = ".scratch/aws-calls";

/** One file per test process and thread, so parallel workers never interleave lines. */
export const callLogFile = (label: string) => join(CALL_LOG_DIR, `${label}-${process.pid}-${threadId}.jsonl`);

/** The running test, for a record's origin (what to look at when a call is refused or unattributed). */
export const currentTest = () => {
  const { testPath, currentTestName } = expect.getState();
  return testPath ? `${testPath.replace(`${process.cwd()}/`, "")} > ${currentTestName}` : undefined;
};
