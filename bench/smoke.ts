import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EC2Client } from "@aws-sdk/client-ec2";
import { seedWorld } from "../local/seed.js";
import type { Bundle } from "./bundles.js";

const PROBE = fileURLToPath(new URL("./invoke-probe.mjs", import.meta.url));

/** A minimal API Gateway (payload 2.0) event with an IAM caller, as the handlers read it. */
export const apiEvent = (method: string, path: string, body?: unknown, id?: string) => ({
  version: "2.0",
  routeKey: `${method} ${path}`,
  rawPath: path,
  rawQueryString: "",
  headers: { "content-type": "application/json" },
  pathParameters: id ? { id } : undefined,
  body: body === undefined ? undefined : JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: { http: { method, path }, authorizer: { iam: { userArn: "arn:aws:iam::123456789012:user/bench", userId: "bench" } } },
});

/**
 * Runs the packaged open, get and close bundles once each against moto, in fresh processes: the
 * size work (plugins, resolution, lazy clients) must leave bundles that still do their job.
 * Returns each function's HTTP status.
 */
export async function smokeBundles(bundles: Bundle[], region: string, env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const world = await seedWorld(new EC2Client({ region }), { region, instances: 1 });
  // Asynchronous on purpose: moto's stderr is a pipe this process drains, and a synchronous
  // child would stop the draining until moto, its pipe full, stopped answering (a deadlock).
  const invoke = async (name: string, event: unknown) => {
    const bundle = bundles.find((b) => b.name === name);
    if (!bundle) throw new Error(`no bundle for ${name}`);
    const { stdout } = await promisify(execFile)(process.execPath, [PROBE, bundle.file, JSON.stringify(event)], { env, encoding: "utf8" });
    return (JSON.parse(stdout) as { statusCode: number }).statusCode;
  };
  return {
    open: await invoke("open", apiEvent("POST", "/sessions", { instanceId: world.instanceIds[0], ttl: "1h" })),
    get: await invoke("get", apiEvent("GET", `/sessions/${world.vpcId}`, undefined, world.vpcId)),
    close: await invoke("close", apiEvent("DELETE", `/sessions/${world.vpcId}`, undefined, world.vpcId)),
  };
}
