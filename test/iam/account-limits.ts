import { type arnsIn, MANAGED, OUR_TAGS, requestTags, resourceTags } from "./arns.js";
import { type Case, casesOf } from "./case.js";

// What the hub's roles and a member account's are refused alike (test/iam/deny-corpus.ts,
// target-deny-corpus.ts): written once, for the account the ARNs are in.

type Arns = ReturnType<typeof arnsIn>;

/** The endpoints and groups the corpora name in one account: ours (tagged), theirs, and new ones. */
export const networkArns = (arn: Arns) => ({
  ourEndpoint: arn.ec2("vpc-endpoint", "vpce-0aaaaaaaaaaaaaaa1"),
  ourGroup: arn.ec2("security-group", "sg-0aaaaaaaaaaaaaaa1"),
  theirEndpoint: arn.ec2("vpc-endpoint", "vpce-0bbbbbbbbbbbbbbb2"),
  theirGroup: arn.ec2("security-group", "sg-0bbbbbbbbbbbbbbb2"),
  newEndpoint: arn.ec2("vpc-endpoint", "vpce-0ccccccccccccccc3"),
  newGroup: arn.ec2("security-group", "sg-0ccccccccccccccc3"),
});

/** A function's (or the target) role cannot touch the network itself: only CloudFormation's role can. */
export function networkChangesOf(role: string, arn: Arns): Case[] {
  const as = casesOf(role);
  const net = networkArns(arn);
  const ours = resourceTags(OUR_TAGS);
  return [
    as("creates an endpoint itself", "ec2:CreateVpcEndpoint", net.newEndpoint, requestTags(OUR_TAGS)),
    as("deletes an endpoint itself", "ec2:DeleteVpcEndpoints", net.ourEndpoint, ours),
    as("creates a security group itself", "ec2:CreateSecurityGroup", net.newGroup, requestTags(OUR_TAGS)),
    as("opens a port on a group itself", "ec2:AuthorizeSecurityGroupIngress", net.ourGroup, ours),
  ];
}

/** An endpoint-stack role, the hub's or a member's, creates only tagged resources and changes only its own. */
export function stackRoleLimits(arn: Arns): Case[] {
  const stack = casesOf("EndpointStackRole");
  const net = networkArns(arn);
  const tagged = (value: string) => requestTags({ ...OUR_TAGS, [MANAGED]: value });
  return [
    stack("creates an untagged endpoint", "ec2:CreateVpcEndpoint", net.newEndpoint),
    stack("creates an endpoint tagged managed=false", "ec2:CreateVpcEndpoint", net.newEndpoint, tagged("false")),
    stack("creates an untagged security group", "ec2:CreateSecurityGroup", net.newGroup),
    stack("attaches a group it did not create to its endpoint", "ec2:ModifyVpcEndpoint", net.theirGroup),
    stack("opens a port on a group it did not create", "ec2:AuthorizeSecurityGroupIngress", net.theirGroup),
    stack("deletes a group it did not create", "ec2:DeleteSecurityGroup", net.theirGroup),
    stack("deletes an endpoint it did not create", "ec2:DeleteVpcEndpoints", net.theirEndpoint),
    stack("tags a group it did not create as its own", "ec2:CreateTags", net.theirGroup, requestTags({ [MANAGED]: "true" })),
    stack("launches an instance", "ec2:RunInstances", arn.ec2("instance", "*")),
    stack("creates a stack", "cloudformation:CreateStack", arn.stack("ssm-knock-dev-vpc-0123456789abcdef0")),
  ];
}
