import type { Naming } from "../../local/aws-call-log.js";

/** What a function's environment in the packaged template names (its deployed configuration). */
export interface DeployedNaming {
  STACK_PREFIX: string;
  SCHEDULE_GROUP: string;
  EXPIRE_FUNCTION_ARN: string;
  WARN_FUNCTION_ARN: string;
  SCHEDULER_ROLE_ARN: string;
  CFN_ROLE_ARN: string;
  SECRETS_PARAMETER_PATH: string;
  TARGET_ROLE_NAME: string;
}

/**
 * Carries a recorded call over to the deployment. The code derives every name it touches from
 * its configuration (stacks `<prefix>-<vpc-id>`, timers `<prefix>-<kind>-<vpc-id>` in the group,
 * the roles and targets it hands over, the secrets path), and the suites run with local
 * defaults (prefix `ssm-knock`). So each configured value in a request becomes the deployed
 * function's value for the same setting; anything else (another application's stack, a role of
 * somebody else) stays as it was, and is simulated as such. A call in a member account (`member`)
 * hands over that account's endpoint-stack role, named after the target role.
 */
export class NamingMap {
  constructor(
    private readonly recorded: Naming,
    private readonly deployed: DeployedNaming,
    private readonly member?: string,
  ) {}

  private prefixed(name: string): string {
    const ours = `${this.recorded.stackPrefix}-`;
    return name.startsWith(ours) ? `${this.deployed.STACK_PREFIX}-${name.slice(ours.length)}` : name;
  }

  /** A stack name, or the name inside a stack id. */
  stackName(nameOrId: string): string {
    const fromId = /^arn:[^:]+:cloudformation:[^:]*:\d*:stack\/([^/]+)\//.exec(nameOrId)?.[1];
    return this.prefixed(fromId ?? nameOrId);
  }

  scheduleGroup(group: string | undefined): string {
    return !group || group === this.recorded.scheduleGroup ? this.deployed.SCHEDULE_GROUP : group;
  }

  scheduleName(name: string): string {
    return this.prefixed(name);
  }

  /** The role a request hands over: the configured stack role (set or, as in the suites, not) or timer role. */
  stackRole(roleArn: string | undefined): string | undefined {
    if (!this.member) return roleArn === this.recorded.cloudFormationRoleArn ? this.deployed.CFN_ROLE_ARN : roleArn;
    // What the code hands over there (lib/accounts/registry.ts stackRoleFor): none where the hub has none configured.
    const memberRole = (name: string) => `arn:aws:iam::${this.member}:role/${name}-endpoint-stacks`;
    const configured = this.recorded.cloudFormationRoleArn ? memberRole(this.recorded.targetRoleName) : undefined;
    return roleArn === configured ? memberRole(this.deployed.TARGET_ROLE_NAME) : roleArn;
  }

  timerRole(roleArn: string | undefined): string | undefined {
    return roleArn === this.recorded.schedulerRoleArn ? this.deployed.SCHEDULER_ROLE_ARN : roleArn;
  }

  /** A GetParametersByPath Path under the configured secrets path, keeping its trailing slash or not. */
  secretsPath(path: string): string {
    const strip = (p: string) => p.replace(/\/$/, "");
    const configured = this.recorded.secretsParameterPath;
    if (!configured || strip(path) !== strip(configured)) return path;
    return strip(this.deployed.SECRETS_PARAMETER_PATH) + (path.endsWith("/") ? "/" : "");
  }
}
