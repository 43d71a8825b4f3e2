import type { IpPermission, NetworkAclEntry } from "@aws-sdk/client-ec2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aclVerdict, formatRange, groupsAllow, parseCidr } from "../../../lib/readiness/network.js";

// aclVerdict (one point per cell of the rules' boundaries) against the definition: every address
// and port of a small range, first matching rule in number order, else the default deny.

const BASE = parseCidr("10.0.0.0/32")?.first as number;
const entry = fc.record({
  RuleNumber: fc.integer({ min: 1, max: 200 }),
  Egress: fc.boolean(),
  Protocol: fc.constantFrom("6", "-1", "17"),
  RuleAction: fc.constantFrom("allow", "deny"),
  offset: fc.integer({ min: 0, max: 31 }),
  bits: fc.integer({ min: 26, max: 32 }),
  from: fc.integer({ min: 1000, max: 1040 }),
  span: fc.integer({ min: 0, max: 40 }),
});

function brute(entries: NetworkAclEntry[], egress: boolean, first: number, last: number, from: number, to: number) {
  const seen = new Set<boolean>();
  const rules = entries
    .filter((e) => e.Egress === egress && (e.Protocol === "6" || e.Protocol === "-1"))
    .sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0));
  for (let address = first; address <= last; address++) {
    for (let port = from; port <= to; port++) {
      const rule = rules.find((r) => {
        const cidr = parseCidr(r.CidrBlock);
        const ports = r.Protocol === "-1" ? { From: 0, To: 65535 } : (r.PortRange ?? {});
        return cidr && cidr.first <= address && address <= cidr.last && (ports.From ?? 0) <= port && port <= (ports.To ?? 65535);
      });
      seen.add(rule?.RuleAction === "allow");
    }
  }
  return seen.size === 2 ? "mixed" : seen.has(true) ? "allow" : "deny";
}

describe("aclVerdict", () => {
  it("matches evaluating every address and port (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => `${e.Egress}/${e.RuleNumber}`, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 28, max: 32 }),
        (raw, egress, bits) => {
          const entries: NetworkAclEntry[] = raw.map((r) => ({
            RuleNumber: r.RuleNumber,
            Egress: r.Egress,
            Protocol: r.Protocol,
            RuleAction: r.RuleAction as "allow" | "deny",
            CidrBlock: `10.0.0.${r.offset}/${r.bits}`,
            PortRange: { From: r.from, To: r.from + r.span },
          }));
          const range = parseCidr(`10.0.0.0/${bits}`) as { first: number; last: number };
          const ports = { from: 1000, to: 1040 };
          expect(aclVerdict(entries, egress, range, ports).verdict).toBe(
            brute(entries, egress, range.first, range.last, ports.from, ports.to),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  const deny: NetworkAclEntry = {
    RuleNumber: 90,
    Egress: true,
    Protocol: "6",
    RuleAction: "deny",
    CidrBlock: "0.0.0.0/0",
    PortRange: { From: 443, To: 443 },
  };

  it("names the rule that decides", () => {
    expect(aclVerdict([deny], true, { first: BASE, last: BASE }, { from: 443, to: 443 })).toEqual({ verdict: "deny", ruleNumber: 90 });
    expect(aclVerdict([], true, { first: BASE, last: BASE }, { from: 443, to: 443 })).toEqual({ verdict: "deny", ruleNumber: "default" });
  });

  it("takes an entry spelled tcp, as security groups spell it, for TCP", () => {
    expect(aclVerdict([{ ...deny, Protocol: "tcp" }], true, { first: BASE, last: BASE }, { from: 443, to: 443 })).toEqual({
      verdict: "deny",
      ruleNumber: 90,
    });
  });

  it("parses and prints IPv4 CIDRs, and refuses others", () => {
    expect(formatRange(parseCidr("10.0.1.7/24") as { first: number; last: number })).toBe("10.0.1.0-10.0.1.255");
    expect(formatRange(parseCidr("10.0.1.7") as { first: number; last: number })).toBe("10.0.1.7");
    expect(parseCidr("2001:db8::/32")).toBeUndefined();
    expect(parseCidr("10.0.0.256/24")).toBeUndefined();
  });

  it("reads multi-digit octets in every position", () => {
    expect(formatRange(parseCidr("172.31.255.7/20") as { first: number; last: number })).toBe("172.31.240.0-172.31.255.255");
  });

  it("refuses a prefix longer than 32 bits, and text around an IPv4 CIDR (an IPv4-mapped IPv6 address)", () => {
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("10.0.0.0/240")).toBeUndefined();
    expect(parseCidr("::ffff:10.0.0.1")).toBeUndefined();
  });
});

describe("groupsAllow", () => {
  // The peer is the endpoints' subnet 10.0.2.0/24 behind sg-vpce; every rule is for TCP 443 unless said.
  const peer = { range: parseCidr("10.0.2.0/24") as { first: number; last: number }, groupIds: ["sg-vpce"] };
  const to = (...cidrs: string[]): IpPermission => ({
    IpProtocol: "tcp",
    FromPort: 443,
    ToPort: 443,
    IpRanges: cidrs.map((CidrIp) => ({ CidrIp })),
  });
  const toGroup = (rule: IpPermission): IpPermission => ({ ...rule, UserIdGroupPairs: [{ GroupId: "sg-vpce" }] });

  it("allows a CIDR covering the whole peer, and a rule naming the peer's group", () => {
    expect(groupsAllow([to("10.0.0.0/16")], 443, peer)).toBe("yes");
    expect(groupsAllow([toGroup({ IpProtocol: "tcp", FromPort: 443, ToPort: 443 })], 443, peer)).toBe("yes");
    expect(groupsAllow([toGroup({ IpProtocol: "-1" })], 443, peer)).toBe("yes");
  });

  it("is partial for a CIDR covering any part of the peer, at either end", () => {
    expect(groupsAllow([to("10.0.2.128/25")], 443, peer)).toBe("partial");
    expect(groupsAllow([to("10.0.2.0/32")], 443, peer)).toBe("partial");
    expect(groupsAllow([to("10.0.2.255/32")], 443, peer)).toBe("partial");
  });

  it("does not allow a CIDR beside the peer", () => {
    expect(groupsAllow([to("10.0.3.0/24")], 443, peer)).toBe("no");
    expect(groupsAllow([to("10.0.1.0/24")], 443, peer)).toBe("no");
  });

  it("counts only rules for TCP whose port range holds the port", () => {
    expect(groupsAllow([toGroup({ IpProtocol: "udp", FromPort: 443, ToPort: 443 })], 443, peer)).toBe("no");
    expect(groupsAllow([toGroup({ IpProtocol: "tcp", FromPort: 1024, ToPort: 65535 })], 443, peer)).toBe("no");
    expect(groupsAllow([toGroup({ IpProtocol: "tcp", FromPort: 0, ToPort: 442 })], 443, peer)).toBe("no");
  });

  it("stays partial when a prefix list could match too: a CIDR rule does match part", () => {
    const both = { ...to("10.0.2.0/25"), PrefixListIds: [{ PrefixListId: "pl-1" }] };
    expect(groupsAllow([both], 443, peer)).toBe("partial");
    expect(groupsAllow([to("10.0.2.0/25"), { ...to(), PrefixListIds: [{ PrefixListId: "pl-1" }] }], 443, peer)).toBe("partial");
    expect(groupsAllow([{ ...to(), PrefixListIds: [{ PrefixListId: "pl-1" }] }], 443, peer)).toBe("unknown");
  });
});
