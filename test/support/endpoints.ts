import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import type { DemoWorld } from "../../local/seed.js";

const SERVICES = ["ssm", "ssmmessages", "ec2messages"] as const;

/** A group for endpoints that admits 443 from the world's instances' group (what Session Manager's endpoints need). */
export async function endpointGroup(ec2: EC2Client, world: DemoWorld, name: string, description: string): Promise<string> {
  const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: world.vpcId, GroupName: name, Description: description }));
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: world.securityGroupId }] }],
    }),
  );
  return GroupId as string;
}

/**
 * The VPC's own ssm, ssmmessages and ec2messages Interface endpoints with private DNS, in its second
 * subnet (behind `groupId` if given), as a VPC that already serves Session Manager has them. Their ids by service.
 */
export async function sessionManagerEndpoints(ec2: EC2Client, world: DemoWorld, region: string, groupId?: string) {
  const ids = {} as Record<(typeof SERVICES)[number], string>;
  for (const service of SERVICES) {
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: world.vpcId,
        ServiceName: `com.amazonaws.${region}.${service}`,
        VpcEndpointType: "Interface",
        SubnetIds: [world.subnetIds[1]],
        SecurityGroupIds: groupId ? [groupId] : undefined,
        PrivateDnsEnabled: true,
      }),
    );
    ids[service] = VpcEndpoint?.VpcEndpointId as string;
  }
  return ids;
}
