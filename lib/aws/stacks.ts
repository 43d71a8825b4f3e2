import {
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Parameter,
  paginateDescribeStackEvents,
  paginateDescribeStacks,
  type Stack,
  type StackResource,
  type Tag,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { TAG } from "../core/tags.js";
import { endpointTemplateBody } from "../template.js";
import { isAwsError } from "./errors.js";

/** One stack per VPC, so a second request for the same VPC finds the first one's stack. */
export const stackNameFor = (prefix: string, vpcId: string) => `${prefix}-${vpcId}`;

/** Whether a stack name is one of this deployment's session stacks (the one place that knows the shape). */
export const isSessionStackName = (prefix: string, name: string | undefined) => Boolean(name?.startsWith(`${prefix}-vpc-`));

export const isManagedStack = (stack: Stack) => stack.Tags?.some((tag) => tag.Key === TAG.managed && tag.Value === "true") ?? false;

const isNotFound = (error: unknown) => isAwsError(error, "ValidationError") && /does not exist/i.test((error as Error).message);

/** The stack of that name, or undefined when there is none (DescribeStacks throws for that). */
export async function findStack(cloudFormation: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    return stack && stack.StackStatus !== "DELETE_COMPLETE" ? stack : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Every session stack of this deployment in the client's region, page by page. */
export async function listSessionStacks(cloudFormation: CloudFormationClient, prefix: string): Promise<Stack[]> {
  const stacks: Stack[] = [];
  for await (const page of paginateDescribeStacks({ client: cloudFormation }, {})) {
    for (const stack of page.Stacks ?? []) {
      if (isSessionStackName(prefix, stack.StackName) && stack.StackStatus !== "DELETE_COMPLETE" && isManagedStack(stack))
        stacks.push(stack);
    }
  }
  return stacks;
}

/** A session stack's template inputs and the role CloudFormation acts with. */
export interface StackInput {
  stackName: string;
  parameters: Parameter[];
  tags: Tag[];
  roleArn?: string;
}

export async function createStack(cloudFormation: CloudFormationClient, input: StackInput): Promise<string | undefined> {
  const { StackId } = await cloudFormation.send(
    new CreateStackCommand({
      StackName: input.stackName,
      TemplateBody: endpointTemplateBody(),
      Parameters: input.parameters,
      Tags: input.tags,
      RoleARN: input.roleArn,
      // On failure CloudFormation rolls back (deleting whatever was made) and keeps the stack,
      // so GET shows `failed` with the reason; the sweeper deletes the empty stack later.
      OnFailure: "ROLLBACK",
    }),
  );
  return StackId;
}

/** Moves a live stack to new inputs. The template is re-sent so a redeploy of ssm-knock with a
 * changed template takes effect on the next extension or join. */
export async function updateStack(cloudFormation: CloudFormationClient, input: StackInput): Promise<void> {
  await cloudFormation.send(
    new UpdateStackCommand({
      StackName: input.stackName,
      TemplateBody: endpointTemplateBody(),
      Parameters: input.parameters,
      Tags: input.tags,
      RoleARN: input.roleArn,
    }),
  );
}

export async function deleteStack(
  cloudFormation: CloudFormationClient,
  options: { stackName: string; roleArn?: string; retainResources?: string[] },
): Promise<void> {
  await cloudFormation.send(
    new DeleteStackCommand({
      StackName: options.stackName,
      RoleARN: options.roleArn,
      RetainResources: options.retainResources?.length ? options.retainResources : undefined,
    }),
  );
}

export async function stackResources(cloudFormation: CloudFormationClient, stackName: string): Promise<StackResource[]> {
  const { StackResources } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  return StackResources ?? [];
}

/** How far back a failure is looked for: two pages of events cover any operation on this template. */
const MAX_EVENT_PAGES = 2;

/**
 * CloudFormation's own words for why the stack's latest operation failed: the reason of its first
 * failed resource event ("API: ec2:ModifyVpcEndpoint You are not authorized to perform this
 * operation"), which the stack's status reason only summarises ("The following resource(s)
 * failed to update: [SsmEndpoint]"). Events come newest first; the operation began at the stack's
 * own CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS. Undefined when no resource failed.
 */
export async function latestFailureReason(cloudFormation: CloudFormationClient, stackName: string): Promise<string | undefined> {
  let reason: string | undefined;
  let pages = 0;
  for await (const page of paginateDescribeStackEvents({ client: cloudFormation }, { StackName: stackName })) {
    for (const event of page.StackEvents ?? []) {
      const isStack = event.LogicalResourceId === stackName;
      if (isStack && (event.ResourceStatus === "CREATE_IN_PROGRESS" || event.ResourceStatus === "UPDATE_IN_PROGRESS")) return reason;
      if (!isStack && event.ResourceStatus?.endsWith("_FAILED") && event.ResourceStatusReason) reason = event.ResourceStatusReason;
    }
    if (++pages >= MAX_EVENT_PAGES) break;
  }
  return reason;
}
