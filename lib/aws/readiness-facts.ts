import {
  DescribeInstancesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
  type Instance,
  paginateDescribeNetworkAcls,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
} from "@aws-sdk/client-ec2";
import type { IAMClient } from "@aws-sdk/client-iam";
import {
  GetConnectionStatusCommand,
  GetServiceSettingCommand,
  paginateDescribeInstanceInformation,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { instanceArn } from "../core/agent-permissions.js";
import {
  type DhmcSetting,
  type InstanceProfileFacts,
  known,
  type PingFacts,
  type Read,
  type ReadinessFacts,
  unknownRead,
} from "../core/readiness-facts.js";
import { attempt, readInstanceProfile } from "./iam-facts.js";

// The reads behind the readiness checks, made as concurrently as their inputs allow:
// round 1: the instances, SSM's view of them and DHMC (and the VPC's items when its id is known);
// round 2: the VPC's items (when it was not), and per instance profile GetInstanceProfile;
// round 3: the simulation, or the role's policy lists (then their documents).
// Every optional read that fails degrades to `unknown` in its check instead of failing the call.

export interface ReadinessClients {
  ec2: EC2Client;
  /** Without it the role check is unknown. */
  iam?: IAMClient;
  /** Without it ping, connection and DHMC are unknown (local mode's model is the agent itself). */
  ssm?: SSMClient;
}

export interface ReadinessQuery {
  region: string;
  instanceIds: string[];
  /** The session's VPC: its reads then join the first round. */
  vpcId?: string;
}

export const DHMC_SETTING_ID = "/ssm/managed-instance/default-ec2-instance-management-role";

const byVpc = (vpcId: string) => [{ Name: "vpc-id", Values: [vpcId] }];

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(page);
  return items;
}

type VpcItems = Pick<
  ReadinessFacts,
  "dnsSupport" | "dnsHostnames" | "securityGroups" | "subnets" | "networkAcls" | "routeTables" | "endpoints"
>;

/** Every VPC-wide read of the checks, in one concurrent round. */
export async function readVpc(ec2: EC2Client, vpcId: string): Promise<VpcItems> {
  const client = { client: ec2 };
  const Filters = byVpc(vpcId);
  const [dnsSupport, dnsHostnames, securityGroups, subnets, networkAcls, routeTables, endpoints] = await Promise.all([
    attempt(
      async () =>
        (await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsSupport" }))).EnableDnsSupport?.Value === true,
    ),
    attempt(
      async () =>
        (await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }))).EnableDnsHostnames?.Value ===
        true,
    ),
    attempt(async () => (await all(paginateDescribeSecurityGroups(client, { Filters }))).flatMap((p) => p.SecurityGroups ?? [])),
    attempt(async () => (await all(paginateDescribeSubnets(client, { Filters }))).flatMap((p) => p.Subnets ?? [])),
    attempt(async () => (await all(paginateDescribeNetworkAcls(client, { Filters }))).flatMap((p) => p.NetworkAcls ?? [])),
    attempt(async () => (await all(paginateDescribeRouteTables(client, { Filters }))).flatMap((p) => p.RouteTables ?? [])),
    attempt(async () => (await ec2.send(new DescribeVpcEndpointsCommand({ Filters }))).VpcEndpoints ?? []),
  ]);
  return { dnsSupport, dnsHostnames, securityGroups, subnets, networkAcls, routeTables, endpoints };
}

interface Described {
  instance: Instance;
  accountId?: string;
}

/** The instances by id; a missing one is simply absent (a filter, unlike InstanceIds, never throws for it). */
async function describe(ec2: EC2Client, instanceIds: string[]): Promise<Map<string, Described>> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-id", Values: instanceIds }] }));
  const found = new Map<string, Described>();
  for (const reservation of Reservations ?? []) {
    for (const instance of reservation.Instances ?? []) {
      if (instance.InstanceId) found.set(instance.InstanceId, { instance, accountId: reservation.OwnerId });
    }
  }
  return found;
}

/** SSM's view of the instances, the connection status of each, and DHMC: one round. */
async function readSsm(ssm: SSMClient | undefined, instanceIds: string[]) {
  const none = <T>() => unknownRead<T>("no SSM client");
  if (!ssm) return { pings: none<Map<string, PingFacts>>(), connections: new Map(), dhmc: none<DhmcSetting>() };
  const [pings, dhmc, ...connections] = await Promise.all([
    attempt(async () => {
      const pages = await all(
        paginateDescribeInstanceInformation({ client: ssm }, { Filters: [{ Key: "InstanceIds", Values: instanceIds }] }),
      );
      return new Map(pages.flatMap((p) => p.InstanceInformationList ?? []).map((info) => [info.InstanceId, info] as const));
    }),
    attempt(async (): Promise<DhmcSetting> => {
      const { ServiceSetting } = await ssm.send(new GetServiceSettingCommand({ SettingId: DHMC_SETTING_ID }));
      const value = ServiceSetting?.SettingValue;
      return { roleName: value && value !== "$None" ? value : undefined };
    }),
    ...instanceIds.map((Target) =>
      attempt(async () =>
        (await ssm.send(new GetConnectionStatusCommand({ Target }))).Status === "connected" ? "connected" : "notconnected",
      ),
    ),
  ]);
  return {
    pings: pings as Read<Map<string | undefined, PingFacts>>,
    dhmc,
    connections: new Map(instanceIds.map((id, i) => [id, connections[i] as Read<"connected" | "notconnected">])),
  };
}

/**
 * The ReadinessFacts of each instance (in the order asked). Throws only when DescribeInstances
 * itself fails: without the instances there is nothing to diagnose.
 */
export async function gatherReadinessFacts(clients: ReadinessClients, query: ReadinessQuery): Promise<ReadinessFacts[]> {
  const { ec2, iam } = clients;
  const { region, instanceIds } = query;
  const early = query.vpcId ? readVpc(ec2, query.vpcId) : undefined;
  const described = describe(ec2, instanceIds);
  const profiles = described.then((found) => {
    const arns = new Map<string, string>();
    for (const { instance, accountId } of found.values()) {
      const profileArn = instance.IamInstanceProfile?.Arn;
      if (profileArn && !arns.has(profileArn)) arns.set(profileArn, instanceArn(region, accountId ?? "*", instance.InstanceId as string));
    }
    return Promise.all(
      [...arns].map(
        async ([arn, onInstance]) =>
          [arn, iam ? await readInstanceProfile(iam, arn, onInstance) : unknownRead<InstanceProfileFacts>("no IAM client")] as const,
      ),
    );
  });
  const vpcs = described.then(async (found) => {
    const ids = new Set([...found.values()].flatMap(({ instance }) => (instance.VpcId ? [instance.VpcId] : [])));
    if (query.vpcId) ids.delete(query.vpcId);
    const entries = await Promise.all([...ids].map(async (id) => [id, await readVpc(ec2, id)] as const));
    return new Map([...entries, ...(early && query.vpcId ? [[query.vpcId, await early] as const] : [])]);
  });
  const [found, ssm, byProfile, byVpc] = await Promise.all([described, readSsm(clients.ssm, instanceIds), profiles, vpcs]);
  const profileOf = new Map(byProfile);
  return instanceIds.map((instanceId): ReadinessFacts => {
    const entry = found.get(instanceId);
    const instance = entry?.instance;
    const missing = unknownRead<never>(instance ? `${instanceId} is not in a VPC` : `${instanceId} was not found`);
    const vpc = instance?.VpcId ? byVpc.get(instance.VpcId) : undefined;
    const profileArn = instance?.IamInstanceProfile?.Arn;
    return {
      region,
      instanceId,
      instance: known(instance),
      accountId: entry?.accountId,
      ...(vpc ?? {
        dnsSupport: missing,
        dnsHostnames: missing,
        securityGroups: missing,
        subnets: missing,
        networkAcls: missing,
        routeTables: missing,
        endpoints: missing,
      }),
      profile: profileArn ? (profileOf.get(profileArn) ?? missing) : known(undefined),
      dhmc: ssm.dhmc,
      ping: ssm.pings.ok ? known(ssm.pings.value.get(instanceId)) : ssm.pings,
      connection: ssm.connections.get(instanceId) ?? unknownRead("no SSM client"),
    };
  });
}
