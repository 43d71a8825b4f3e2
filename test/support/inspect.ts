import { CloudFormationClient, DescribeStacksCommand, type Stack } from "@aws-sdk/client-cloudformation";
import { DescribeSecurityGroupsCommand, DescribeVpcEndpointsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from "@aws-sdk/client-scheduler";

/** Read-only views of what exists in the emulator, for assertions. */
export function inspector(region = "us-east-1") {
  const cloudFormation = new CloudFormationClient({ region });
  const ec2 = new EC2Client({ region });
  const scheduler = new SchedulerClient({ region });
  return {
    cloudFormation,
    ec2,
    scheduler,
    /** Stacks that are not deleted. */
    async liveStacks(): Promise<Stack[]> {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({}));
      return (Stacks ?? []).filter((stack) => stack.StackStatus !== "DELETE_COMPLETE");
    },
    async scheduleNames(group = "ssm-knock"): Promise<string[]> {
      try {
        const { Schedules } = await scheduler.send(new ListSchedulesCommand({ GroupName: group }));
        return (Schedules ?? []).map((schedule) => schedule.Name as string);
      } catch {
        return [];
      }
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
