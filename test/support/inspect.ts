import { CloudFormationClient, paginateDescribeStacks, type Stack } from "@aws-sdk/client-cloudformation";
import { DescribeSecurityGroupsCommand, DescribeVpcEndpointsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetScheduleCommand, paginateListSchedules, SchedulerClient } from "@aws-sdk/client-scheduler";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * Read-only views of what exists in the emulator, for assertions (in another account with its
 * credentials: test/support/accounts.ts). Its clients keep the emulator that AWS_ENDPOINT_URL
 * names when it is made (the SDK would read it at their first call), so a test that points the
 * functions at a proxy or a front meanwhile still reads the emulator itself.
 */
export function inspector(region = "us-east-1", credentials?: AwsCredentialIdentityProvider, endpoint = process.env.AWS_ENDPOINT_URL) {
  const cloudFormation = new CloudFormationClient({ region, credentials, endpoint });
  const ec2 = new EC2Client({ region, credentials, endpoint });
  const scheduler = new SchedulerClient({ region, credentials, endpoint });
  return {
    cloudFormation,
    ec2,
    scheduler,
    /** Stacks that are not deleted, all pages (DescribeStacks pages at 50 in moto as in AWS). */
    async liveStacks(): Promise<Stack[]> {
      const stacks: Stack[] = [];
      for await (const page of paginateDescribeStacks({ client: cloudFormation }, {})) stacks.push(...(page.Stacks ?? []));
      return stacks.filter((stack) => stack.StackStatus !== "DELETE_COMPLETE");
    },
    /** Every schedule in the group, all pages. Only a group that does not exist has none: any other
     * failure is thrown, so a "nothing created" check can never pass because the listing failed. */
    async scheduleNames(group = "ssm-knock"): Promise<string[]> {
      const names: string[] = [];
      try {
        for await (const page of paginateListSchedules({ client: scheduler }, { GroupName: group })) {
          for (const schedule of page.Schedules ?? []) names.push(schedule.Name as string);
        }
      } catch (error) {
        if ((error as Error).name !== "ResourceNotFoundException") throw error;
      }
      return names;
    },
    schedule: (name: string, group = "ssm-knock") => scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group })),
    async endpoints(vpcId: string) {
      const { VpcEndpoints } = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
      return VpcEndpoints ?? [];
    },
    async securityGroup(groupId: string) {
      const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
      return SecurityGroups?.[0];
    },
    /** Nothing of ssm-knock's exists: no stack, no schedule, no endpoint in the VPC. */
    async nothingCreated(vpcId: string) {
      return {
        stacks: (await this.liveStacks()).map((s) => s.StackName),
        schedules: await this.scheduleNames(),
        endpoints: (await this.endpoints(vpcId)).map((e) => e.VpcEndpointId),
      };
    },
  };
}
