import type { NatGateway, RouteTable, SecurityGroup, Subnet, Vpc, VpcEndpoint } from "@aws-sdk/client-ec2";

/** What the AWS edge reads (lib/aws/vpc-facts.ts) and the open plan decides on (lib/sessions/open-plan.ts). */

export interface InstanceFacts {
  id: string;
  vpcId: string;
  subnetId: string;
  availabilityZone?: string;
  securityGroupIds: string[];
  state?: string;
  /** Its public IPv4 address (an Elastic IP included), if it has one: with an internet gateway route it reaches SSM directly. */
  publicIp?: string;
  /** The instance's tags (the reboot policy may require one). */
  tags: Record<string, string>;
}

/** Everything the open preflight needs to know about a VPC, gathered in one concurrent round. */
export interface VpcFacts {
  vpc?: Vpc;
  dnsSupport: boolean;
  dnsHostnames: boolean;
  subnets: Subnet[];
  endpoints: VpcEndpoint[];
  routeTables: RouteTable[];
  securityGroups: SecurityGroup[];
  /** The VPC's NAT gateways: read when an instance is named (does its subnet reach SSM without endpoints?). */
  natGateways: NatGateway[];
}
