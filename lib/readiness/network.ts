import type { IpPermission, NetworkAclEntry } from "@aws-sdk/client-ec2";

// How security groups and network ACLs treat the agent's HTTPS traffic, for IPv4. Pure: the
// rules come from DescribeSecurityGroups and DescribeNetworkAcls.

/** An inclusive range of IPv4 addresses as 32-bit unsigned integers. */
export interface AddressRange {
  first: number;
  last: number;
}

/** An inclusive range of ports. */
export interface PortRange {
  from: number;
  to: number;
}

export const HTTPS: PortRange = { from: 443, to: 443 };
/** The return traffic AWS documents for network ACLs: ephemeral ports 1024-65535. */
export const EPHEMERAL: PortRange = { from: 1024, to: 65535 };

/** "10.0.1.0/24" (or a bare address) as a range; undefined for anything else (IPv6 included). */
export function parseCidr(cidr: string | undefined): AddressRange | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr?.trim() ?? "");
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

const within = (inner: AddressRange, outer: AddressRange) => outer.first <= inner.first && inner.last <= outer.last;
const overlaps = (a: AddressRange, b: AddressRange) => a.first <= b.last && b.first <= a.last;

/** TCP (protocol "6" in ACLs, "tcp" in groups) or every protocol ("-1"). */
const carriesTcp = (protocol: string | undefined) => protocol === "-1" || protocol === "tcp" || protocol === "6";

/** Whether a security group rule's ports cover `port` (a rule for all protocols has none). */
function coversPort(rule: IpPermission, port: number): boolean {
  if (rule.IpProtocol === "-1") return true;
  return rule.IpProtocol === "tcp" && (rule.FromPort ?? 0) <= port && port <= (rule.ToPort ?? 65535);
}

/** The other side of a connection, as a security group rule sees it. */
export interface Peer {
  /** The peer's addresses (one address, or a whole subnet when only that is known). */
  range: AddressRange;
  groupIds: string[];
}

/**
 * Whether any rule lets TCP `port` reach (ingress) or leave for (egress) the peer. "partial": a
 * rule's CIDR covers only part of the peer's range (its real address decides); "unknown": only a
 * prefix-list rule could match, and its entries are not read.
 */
export function groupsAllow(rules: IpPermission[], port: number, peer: Peer): "yes" | "partial" | "no" | "unknown" {
  let best: "partial" | "no" | "unknown" = "no";
  for (const rule of rules) {
    if (!coversPort(rule, port)) continue;
    if ((rule.UserIdGroupPairs ?? []).some((pair) => pair.GroupId && peer.groupIds.includes(pair.GroupId))) return "yes";
    for (const ipRange of rule.IpRanges ?? []) {
      const range = parseCidr(ipRange.CidrIp);
      if (range && within(peer.range, range)) return "yes";
      if (range && overlaps(peer.range, range)) best = "partial";
    }
    if (best === "no" && (rule.PrefixListIds ?? []).length > 0) best = "unknown";
  }
  return best;
}

export type AclVerdict =
  | { verdict: "allow"; ruleNumber: number }
  | { verdict: "deny"; ruleNumber: number | "default" }
  | { verdict: "mixed"; deniedBy: (number | "default")[] };

const entryPorts = (entry: NetworkAclEntry): PortRange =>
  entry.Protocol === "-1" ? { from: 0, to: 65535 } : { from: entry.PortRange?.From ?? 0, to: entry.PortRange?.To ?? 65535 };

/**
 * How a network ACL treats TCP traffic in one direction between `range` (the far side's
 * addresses) and `ports` (the destination ports). Rules apply in ascending number, the first
 * match decides, and what none matches is denied (the `*` rule). Rules are constant between
 * their own address and port boundaries, so evaluating one point per such cell is exact.
 */
export function aclVerdict(entries: NetworkAclEntry[], egress: boolean, range: AddressRange, ports: PortRange): AclVerdict {
  const rules = entries
    .filter((e) => e.Egress === egress && e.RuleNumber !== 32767 && carriesTcp(e.Protocol))
    .flatMap((e) => {
      const cidr = parseCidr(e.CidrBlock);
      return cidr ? [{ number: e.RuleNumber ?? 0, allow: e.RuleAction === "allow", cidr, ports: entryPorts(e) }] : [];
    })
    .sort((a, b) => a.number - b.number);
  const addressPoints = cuts(
    range.first,
    range.last,
    rules.flatMap((r) => [r.cidr.first, r.cidr.last + 1]),
  );
  const portPoints = cuts(
    ports.from,
    ports.to,
    rules.flatMap((r) => [r.ports.from, r.ports.to + 1]),
  );
  const decided = new Map<number | "default", boolean>();
  for (const address of addressPoints) {
    for (const port of portPoints) {
      const rule = rules.find((r) => r.cidr.first <= address && address <= r.cidr.last && r.ports.from <= port && port <= r.ports.to);
      decided.set(rule?.number ?? "default", rule?.allow ?? false);
    }
  }
  const denied = [...decided].filter(([, allow]) => !allow).map(([number]) => number);
  const allowed = [...decided].filter(([, allow]) => allow).map(([number]) => number as number);
  if (denied.length === 0) return { verdict: "allow", ruleNumber: allowed[0] };
  if (allowed.length === 0) return { verdict: "deny", ruleNumber: denied[0] };
  return { verdict: "mixed", deniedBy: denied };
}

/** The first value of each cell of [low, high] cut at `boundaries`. */
function cuts(low: number, high: number, boundaries: number[]): number[] {
  return [...new Set([low, ...boundaries.filter((b) => b > low && b <= high)])].sort((a, b) => a - b);
}

/** "10.0.1.4" for a single address, else "10.0.1.0-10.0.1.255". */
export function formatRange(range: AddressRange): string {
  const text = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
  return range.first === range.last ? text(range.first) : `${text(range.first)}-${text(range.last)}`;
}
