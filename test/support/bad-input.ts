import { DescribeVpcEndpointsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { createHandler as closeHandler } from "../../functions/close.js";
import { createHandler as extendHandler } from "../../functions/extend.js";
import { createHandler as getHandler } from "../../functions/get.js";
import { createHandler as listHandler } from "../../functions/list.js";
import { createHandler as openHandler } from "../../functions/open.js";
import { attributed } from "../../local/aws-call-log.js";
import { type DemoWorld, seedWorld } from "../../local/seed.js";
import { apiEvent, lambdaContext } from "./events.js";
import { testDeps } from "./harness.js";
import { inspector } from "./inspect.js";

// The machinery of the bad-input corpus (test/integration/bad-input/): a corpus of malformed and hostile requests. Each must get a 4xx JSON error that names the
// problem, and leave nothing behind in the emulator: no stack, no schedule, no endpoint.

const look = inspector();
const ec2 = new EC2Client({ region: "us-east-1" });
let world: DemoWorld;

export type Route = "open" | "extend" | "get" | "close" | "list";
const ROUTES = { open: openHandler, extend: extendHandler, get: getHandler, close: closeHandler, list: listHandler };
const METHOD: Record<Route, [string, (id: string) => string]> = {
  open: ["POST", () => "/sessions"],
  list: ["GET", () => "/sessions"],
  get: ["GET", (id) => `/sessions/${id}`],
  extend: ["POST", (id) => `/sessions/${id}/extend`],
  close: ["DELETE", (id) => `/sessions/${id}`],
};

export interface Case {
  name: string;
  route?: Route;
  /** The JSON body, built from the seeded worlds (so valid ids can sit beside bad ones). */
  body?: (w: { world: DemoWorld; other: DemoWorld }) => unknown;
  /** A body sent byte for byte instead of JSON.stringify(body). */
  raw?: string;
  base64?: boolean;
  /** Seeds a second VPC whose resources the request borrows. */
  other?: boolean;
  headers?: Record<string, string>;
  id?: string;
  unsigned?: boolean;
  status: number;
  code: string;
  field?: string;
}

export const vpc = (extra: Record<string, unknown>) => (w: { world: DemoWorld }) => ({ vpcId: w.world.vpcId, ...extra });
export const HEX17 = "0123456789abcdef0";

async function send(c: Case) {
  const route = c.route ?? "open";
  const [method, path] = METHOD[route];
  const id = c.id ?? "";
  const other = c.other ? await seedWorld(ec2, { region: "us-east-1", cidr: "10.62.0.0/16", instances: 0 }) : world;
  const body = c.body?.({ world, other });
  const event = apiEvent(method, path(id), body, {
    rawBody: c.raw,
    headers: c.headers,
    caller: c.unsigned ? null : undefined,
    pathParameters: c.id === undefined ? undefined : { id },
  });
  event.isBase64Encoded = c.base64 ?? false;
  return attributed(
    route,
    ROUTES[route](() => testDeps()),
  )(event, lambdaContext);
}

/** Sends one request and checks the reply and the emulator, each check labelled with the case. */
async function refuses(c: Case) {
  const response = await send(c);
  expect(response.statusCode, c.name).toBe(c.status);
  expect(response.headers?.["content-type"], c.name).toBe("application/json");
  const { error } = JSON.parse(response.body ?? "{}");
  expect(error?.code, c.name).toBe(c.code);
  expect(error.message.length, c.name).toBeGreaterThan(10);
  if (c.field) expect(error.field, c.name).toBe(c.field);
  // The reply never echoes a body of any size back.
  expect((response.body ?? "").length, c.name).toBeLessThan(1_000);
  expect(await look.nothingCreated(world.vpcId), c.name).toEqual({ stacks: [], schedules: [], endpoints: [] });
  // and no endpoint in any VPC, a borrowed one included
  const { VpcEndpoints } = await look.ec2.send(new DescribeVpcEndpointsCommand({}));
  expect(VpcEndpoints ?? [], c.name).toEqual([]);
}

/**
 * Registers the suite of one file of the corpus: every case gets a 4xx naming the problem and
 * creates nothing. One emulator reset per category keeps the suite quick; every case is still
 * checked on its own, right after it is sent, so the first case that leaves anything behind is
 * the one named (which is why names must be unique: a repeated one is refused at registration).
 */
export function refusalSuite(title: string, categories: Record<string, Case[]>): void {
  const names = Object.values(categories).flatMap((cases) => cases.map((c) => c.name));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length) throw new Error(`bad-input cases need unique names; repeated: ${repeated.join(", ")}`);
  beforeEach(async () => {
    world = await seedWorld(ec2, { region: "us-east-1", instances: 1 });
  });
  describe(title, () => {
    it.each(Object.entries(categories))("%s: each gets a 4xx naming the problem and creates nothing", async (_category, cases) => {
      for (const c of cases) await refuses(c);
    });
  });
}
