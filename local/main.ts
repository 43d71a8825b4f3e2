import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { logger } from "../lib/runtime/logger.js";
import { startLocal } from "./app.js";
import { enableConcurrentInvocations } from "./invocations.js";
import { sendLogsTo } from "./log-file.js";

/** `npm start`: ssm-knock on this machine, on the embedded AWS emulator. */
const { values } = parseArgs({
  options: {
    seed: { type: "boolean" },
    "no-seed": { type: "boolean" },
    port: { type: "string" },
    verbose: { type: "boolean" },
    "log-file": { type: "string" },
  },
});

await enableConcurrentInvocations();
// The terminal shows readable event lines; the service's JSON logs go to a file, or here too with --verbose.
const logFile = values["log-file"] ?? fileURLToPath(new URL("../.local/ssm-knock.log", import.meta.url));
if (!values.verbose) sendLogsTo(logFile);
logger.setLogLevel((process.env.POWERTOOLS_LOG_LEVEL as "INFO" | undefined) ?? "INFO");

const app = await startLocal({
  port: values.port ? Number(values.port) : undefined,
  seed: values["no-seed"] ? false : values.seed,
});

const user = "-H 'x-ssm-knock-user: alice'";
const lines = [
  "",
  `ssm-knock local mode: ${app.url}`,
  `AWS emulator (moto): ${app.emulator}${app.emulatorPid ? ` (pid ${app.emulatorPid}, stopped on exit)` : ""}`,
  `virtual clock: ${app.clock.now().toISOString()} (POST /local/advance moves it)`,
  `JSON logs: ${values.verbose ? "here (--verbose)" : `${logFile} (--verbose shows them here)`}`,
];
if (app.world) {
  const w = app.world;
  lines.push(
    "",
    `demo VPC ${w.vpcId} (DNS support and hostnames on), subnets ${w.subnetIds.join(", ")}`,
    `security group ${w.securityGroupId}, instances ${w.instanceIds.join(", ")}`,
    ...(w.offlineInstanceId ? [`instance cut off from SSM for 6 hours (its agent backs off): ${w.offlineInstanceId}`] : []),
    ...(w.noProfileInstanceId ? [`instance without an instance profile (never connects): ${w.noProfileInstanceId}`] : []),
    // Member accounts (ALLOWED_ACCOUNT_IDS): a demo VPC in each, reached through its target role.
    ...(w.members ?? []).map((m) => `member account ${m.accountId}: demo VPC ${m.vpcId}, instance ${m.instanceIds.join(", ")}`),
    ...(w.members ?? [])
      .slice(0, 1)
      .map(
        (m) =>
          `  open there: curl -s -X POST ${app.url}/sessions ${user} -H 'content-type: application/json' -d '{"instanceId":"${m.instanceIds[0]}","accountId":"${m.accountId}","ttl":"1h"}'`,
      ),
    "",
    "try:",
    `  curl -s -X POST ${app.url}/sessions ${user} -H 'content-type: application/json' -d '{"instanceId":"${w.instanceIds[0]}","ttl":"2h","reason":"demo"}'`,
    `  curl -s ${app.url}/sessions/${w.vpcId}`,
    `  curl -s -X POST ${app.url}/sessions/${w.vpcId}/extend ${user} -H 'content-type: application/json' -d '{"ttl":"3h"}'`,
    `  curl -s -X POST ${app.url}/local/advance -H 'content-type: application/json' -d '{"minutes":181}'`,
    `  curl -s ${app.url}/sessions`,
    `  curl -s -X DELETE ${app.url}/sessions/${w.vpcId} ${user}`,
    "",
    `or with the CLI (Name tags ${w.instanceNames.join(", ")} are looked up in the emulator):`,
    `  export SSM_KNOCK_API=${app.url} AWS_ENDPOINT_URL=${app.emulator}`,
    "  npx ssm-knock open demo-1 --ttl 2h --reason demo",
    "  npx ssm-knock ls",
    "  npx ssm-knock status demo-1",
    "  npx ssm-knock close demo-1",
  );
}
lines.push("", "Ctrl-C stops the service and the emulator.", "");
console.log(lines.join("\n"));

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  await app.stop();
  console.log("stopped.");
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
