import type { Instance, NetworkAcl, RouteTable, SecurityGroup, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";
import type { InstanceInformation } from "@aws-sdk/client-ssm";
import type { Decision, NamedPolicy } from "./agent-permissions.js";

/** An optional read: its value, or why it could not be made (the check then says `unknown`). */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

export const known = <T>(value: T): Read<T> => ({ ok: true, value });
export const unknownRead = <T>(error: string): Read<T> => ({ ok: false, error });

/** What the role behind an instance profile may do, by one of two means. */
export type RolePermissions =
  /** iam:SimulatePrincipalPolicy's answer (AWS: sees boundaries and SCPs too). */
  | { source: "simulation"; decisions: Record<string, Decision> }
  /** The role's own attached and inline policies, evaluated by lib/readiness/policy.ts. */
  | { source: "documents"; policies: NamedPolicy[] };

export interface InstanceProfileFacts {
  profileArn: string;
  /** undefined: the profile holds no role. */
  role?: { name: string; arn: string; permissions: Read<RolePermissions> };
}

/** Default Host Management Configuration (`/ssm/managed-instance/default-ec2-instance-management-role`). */
export interface DhmcSetting {
  /** The role DHMC hands to instances without a profile; undefined when DHMC is off. */
  roleName?: string;
}

/** SSM's view of the instance: undefined when it does not know it (never registered). */
export type PingFacts = InstanceInformation | undefined;

/**
 * Everything the readiness checks of one instance look at, gathered by lib/aws/readiness-facts.ts
 * (or assembled by local mode's agent model). VPC-wide lists hold the whole VPC's items; the
 * checks pick the instance's and the endpoints' own.
 */
export interface ReadinessFacts {
  region: string;
  instanceId: string;
  /** undefined: no such instance in the region. */
  instance: Read<Instance | undefined>;
  /** The account that owns the instance (its ARN names it). */
  accountId?: string;
  dnsSupport: Read<boolean>;
  dnsHostnames: Read<boolean>;
  securityGroups: Read<SecurityGroup[]>;
  subnets: Read<Subnet[]>;
  networkAcls: Read<NetworkAcl[]>;
  routeTables: Read<RouteTable[]>;
  endpoints: Read<VpcEndpoint[]>;
  /** undefined: the instance has no instance profile. */
  profile: Read<InstanceProfileFacts | undefined>;
  dhmc: Read<DhmcSetting>;
  ping: Read<PingFacts>;
  /** ssm:GetConnectionStatus: what Session Manager itself checks before StartSession. */
  connection: Read<"connected" | "notconnected">;
}

/** One diagnosis line of `Session.instances[].checks`. */
export interface Check {
  name: CheckName;
  status: "ok" | "warn" | "fail" | "unknown";
  message: string;
  /** One sentence saying what to change; null when there is nothing to change. */
  fix: string | null;
}

/** The checks in the order of AWSSupport-TroubleshootManagedInstance. */
export const CHECK_NAMES = [
  "instance-running",
  "agent-ping",
  "endpoint-ssm",
  "endpoint-ssmmessages",
  "endpoint-ec2messages",
  "endpoint-ingress",
  "route-to-endpoints",
  "nacl-instance-subnet",
  "nacl-endpoint-subnets",
  "instance-egress",
  "instance-profile",
  "vpc-dns",
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];

/** The checks that must pass for the agent's traffic to reach the endpoints: all but the instance, its agent and its role. */
export const NETWORK_CHECKS: readonly CheckName[] = CHECK_NAMES.filter(
  (name) => name !== "instance-running" && name !== "agent-ping" && name !== "instance-profile",
);
