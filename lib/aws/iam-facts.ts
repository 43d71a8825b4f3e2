import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import {
  AGENT_ACTIONS,
  agentActionResource,
  type Decision,
  EC2MESSAGES_ACTIONS,
  type NamedPolicy,
  parsePolicyDocument,
} from "../core/agent-permissions.js";
import { type InstanceProfileFacts, known, type Read, type RolePermissions, unknownRead } from "../core/readiness-facts.js";
import { awsErrorName } from "./errors.js";

// What the role of an instance profile may do. In AWS iam:SimulatePrincipalPolicy answers (it
// sees permission boundaries and SCPs); where it cannot (moto, or the caller lacks it) the role's
// own policy documents are read, for lib/readiness/policy.ts to evaluate.

/** Why a read failed, short enough for a check's message. */
export function failure(error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // An answer the SDK could not parse (an HTML error page) says nothing useful beyond its status.
  if (awsErrorName(error) === "SyntaxError" || !awsErrorName(error))
    return status ? `the service answered HTTP ${status}` : "the service did not answer";
  return `${awsErrorName(error)}: ${(error as Error).message?.split("\n")[0]?.slice(0, 200) ?? ""}`.trim();
}

export async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return known(await read());
  } catch (error) {
    return unknownRead(failure(error));
  }
}

const DECISIONS = new Set<Decision>(["allowed", "explicitDeny", "implicitDeny"]);

/** Two calls in one round: ssm:* is authorised on the instance, the others on "*". */
async function simulate(iam: IAMClient, roleArn: string, instanceArn: string): Promise<RolePermissions> {
  const actions = [...AGENT_ACTIONS, ...EC2MESSAGES_ACTIONS];
  const onInstance = actions.filter((a) => agentActionResource(a, instanceArn) === instanceArn);
  const onAny = actions.filter((a) => !onInstance.includes(a));
  const outputs = await Promise.all([
    iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: onInstance, ResourceArns: [instanceArn] })),
    iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: onAny })),
  ]);
  const decisions: Record<string, Decision> = {};
  for (const result of outputs.flatMap((o) => o.EvaluationResults ?? [])) {
    const decision = result.EvalDecision as Decision;
    if (result.EvalActionName && DECISIONS.has(decision)) decisions[result.EvalActionName] = decision;
  }
  return { source: "simulation", decisions };
}

/** The role's attached policies (their default versions) and inline policies. */
async function documents(iam: IAMClient, roleName: string): Promise<RolePermissions> {
  const attachedArns: string[] = [];
  const inlineNames: string[] = [];
  await Promise.all([
    (async () => {
      for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName })) {
        for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) attachedArns.push(p.PolicyArn);
      }
    })(),
    (async () => {
      for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName }))
        inlineNames.push(...(page.PolicyNames ?? []));
    })(),
  ]);
  const attached = attachedArns.map(async (arn): Promise<NamedPolicy> => {
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy?.DefaultVersionId }));
    return { name: arn, document: parsePolicyDocument(PolicyVersion?.Document) ?? {} };
  });
  const inline = inlineNames.map(async (name): Promise<NamedPolicy> => {
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    return { name: `inline:${name}`, document: parsePolicyDocument(PolicyDocument) ?? {} };
  });
  return { source: "documents", policies: await Promise.all([...attached, ...inline]) };
}

/**
 * The instance profile (by ARN) and what its role may do: GetInstanceProfile, then the
 * simulation; when that fails, the documents. Never throws: a failed read becomes unknown.
 */
export async function readInstanceProfile(iam: IAMClient, profileArn: string, instanceArn: string): Promise<Read<InstanceProfileFacts>> {
  const name = profileArn.split("/").pop() ?? profileArn;
  const profile = await attempt(() => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })));
  if (!profile.ok) return profile;
  const role = profile.value.InstanceProfile?.Roles?.[0];
  if (!role?.RoleName || !role.Arn) return known({ profileArn });
  const roleName = role.RoleName;
  const roleArn = role.Arn;
  let permissions = await attempt(() => simulate(iam, roleArn, instanceArn));
  if (!permissions.ok) {
    const simulationError = permissions.error;
    permissions = await attempt(() => documents(iam, roleName));
    if (!permissions.ok) permissions = unknownRead(`${simulationError}; reading its policies: ${permissions.error}`);
  }
  return known({ profileArn, role: { name: roleName, arn: roleArn, permissions } });
}
