import { execFileSync } from "node:child_process";
import { type EvaluationResult, runSimulation } from "@cloud-copilot/iam-simulate";
import type { Template } from "../build/packaged.js";
import { ACCOUNT, Deployment } from "./deployment.js";

/** The member account the target template is simulated in, and the organization of both. */
export const MEMBER = "222222222222";
export const ORGANIZATION = "o-a1b2c3d4e5";

/** template/target-account.yaml as CloudFormation reads it (short tags expanded), by cfn-lint's own decoder. */
export function targetTemplate(): Template {
  return JSON.parse(
    execFileSync(
      "python3",
      [
        "-c",
        "import json,sys\nfrom cfnlint.decode import decode\nprint(json.dumps(decode(sys.argv[1])[0], default=str))",
        "template/target-account.yaml",
      ],
      { encoding: "utf8" },
    ),
  ) as Template;
}

/**
 * The target template as a StackSet deploys it into `account` for the hub's `dev` stage in ACCOUNT
 * (reboots allowed or not, as the hub's allowReboot).
 */
export function targetDeployment(template: Template, options: { account?: string; allowReboot?: boolean } = {}): Deployment {
  return new Deployment(template, "dev", {
    account: options.account ?? MEMBER,
    parameters: { HubAccountId: ACCOUNT, Stage: "dev", OrganizationId: ORGANIZATION, AllowReboot: String(options.allowReboot ?? false) },
  });
}

/** A session of one of the hub's roles as STS names it (CloudFormation adds a suffix to generated role names). */
export const hubSession = (logicalId: string, stage = "dev", account = ACCOUNT) =>
  `arn:aws:sts::${account}:assumed-role/ssm-knock-${stage}-${logicalId}-1A2B3C4D5E6F/ssm-knock-${stage}-open`;

/** The role ARN behind one of the hub's role sessions (what AWS puts in aws:PrincipalArn). */
const roleOfSession = (session: string) => session.replace(/^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.*$/, "arn:aws:iam::$1:role/$2");

/**
 * Whether one of the hub's roles may assume a role of the target deployment: the hub role's own
 * policies (or, given `identity: "any"`, any policy allowing it, to judge the trust alone) and the
 * target role's trust, with the keys AWS sets for a role session (aws:PrincipalArn,
 * aws:PrincipalAccount, aws:PrincipalOrgID unless the hub left the organization: `org: null`).
 */
export async function hubMayAssume(
  hub: Deployment,
  hubRole: string,
  target: Deployment,
  targetRole: string,
  options: { stage?: string; org?: string | null; account?: string; identity?: "own" | "any" } = {},
): Promise<EvaluationResult> {
  const session = hubSession(hubRole, options.stage, options.account);
  const org = options.org === undefined ? ORGANIZATION : options.org;
  const identity =
    options.identity === "any"
      ? [{ name: "any", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] } }]
      : hub.policiesOf(hubRole);
  const result = await runSimulation(
    {
      request: {
        principal: session,
        action: "sts:AssumeRole",
        resource: { resource: target.roleArn(targetRole), accountId: target.account },
        contextVariables: {
          "aws:PrincipalArn": roleOfSession(session),
          "aws:PrincipalAccount": options.account ?? ACCOUNT,
          ...(org ? { "aws:PrincipalOrgID": org } : {}),
        },
      },
      identityPolicies: identity,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: target.trustPolicyOf(targetRole),
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`iam-simulate refused sts:AssumeRole: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
