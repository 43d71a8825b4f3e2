import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { logger } from "../../../lib/runtime/logger.js";
import { asFunction, enableConcurrentInvocations } from "../../../local/invocations.js";
import { sendLogsTo } from "../../../local/log-file.js";

afterAll(() => {
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
  logger.setLogLevel("SILENT");
});

const readLogs = async (file: string) => {
  await sleep(50); // the file stream writes asynchronously
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { function_name: string; message: string });
};

describe("local mode's invocations", () => {
  it("write their JSON logs to the log file, each line naming its own function while several run at once", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ssm-knock-logs-")), "ssm-knock.log");
    sendLogsTo(file);
    await enableConcurrentInvocations();
    logger.setLogLevel("INFO");
    // The slower one started first: with one shared context it would log as the other.
    await Promise.all([
      asFunction("sweep", async () => {
        await sleep(40);
        logger.info("from the sweeper");
      }),
      asFunction("open", async () => {
        await sleep(5);
        logger.info("from open");
      }),
    ]);
    expect((await readLogs(file)).map((log) => [log.function_name, log.message])).toEqual([
      ["open", "from open"],
      ["sweep", "from the sweeper"],
    ]);
  });
});
