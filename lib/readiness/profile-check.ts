import { AGENT_ACTIONS, agentActionResource, type Decision, EC2MESSAGES_ACTIONS, instanceArn } from "../core/agent-permissions.js";
import type { Check, ReadinessFacts, RolePermissions } from "../core/readiness-facts.js";
import { decide } from "./policy.js";

// The instance profile check: the role behind it allows the agent's calls, or Default Host
// Management Configuration gives instances without one a role (the agent falls back to DHMC when
// its profile's credentials are refused: ec2_role_provider.go, exceptionsForDefaultHostMgmt).

const CORE_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

const check = (status: Check["status"], message: string, fix: string | null = null): Check => ({
  name: "instance-profile",
  status,
  message,
  fix,
});

/** The decision for each action the agent needs (ec2messages ones too when it may need them). */
export function roleDecisions(
  permissions: RolePermissions,
  actions: readonly string[],
  instance: { arn: string },
): Record<string, Decision> {
  const decisions: Record<string, Decision> = {};
  for (const action of actions) {
    decisions[action] =
      permissions.source === "simulation"
        ? (permissions.decisions[action] ?? "implicitDeny")
        : decide(permissions.policies, action, agentActionResource(action, instance.arn));
  }
  return decisions;
}

export function profileCheck(facts: ReadinessFacts, needsEc2messages: boolean | undefined = undefined): Check {
  if (!facts.profile.ok) return check("unknown", `The instance profile could not be read: ${facts.profile.error}.`);
  const dhmcRole = facts.dhmc.ok ? facts.dhmc.value.roleName : undefined;
  const dhmcText = facts.dhmc.ok ? (dhmcRole ? `DHMC is on (role ${dhmcRole})` : "DHMC is off") : "whether DHMC is on is unknown";
  const profile = facts.profile.value;
  const attach = `Attach an instance profile whose role has AmazonSSMManagedInstanceCore (aws ec2 associate-iam-instance-profile --instance-id ${facts.instanceId} --iam-instance-profile Name=<profile>), or turn on Default Host Management Configuration.`;
  if (!profile) {
    if (dhmcRole) return check("ok", `${facts.instanceId} has no instance profile; ${dhmcText}, which gives its agent a role.`);
    return check(facts.dhmc.ok ? "fail" : "warn", `${facts.instanceId} has no instance profile, and ${dhmcText}.`, attach);
  }
  if (!profile.role) {
    if (dhmcRole) return check("ok", `${profile.profileArn} holds no role; ${dhmcText}.`);
    return check("fail", `${profile.profileArn} holds no role, and ${dhmcText}.`, attach);
  }
  const { role } = profile;
  if (!role.permissions.ok) {
    return check(dhmcRole ? "ok" : "unknown", `What ${role.name} may do could not be read: ${role.permissions.error}; ${dhmcText}.`);
  }
  const actions = needsEc2messages === false ? AGENT_ACTIONS : [...AGENT_ACTIONS, ...EC2MESSAGES_ACTIONS];
  const arn = instanceArn(facts.region, facts.accountId ?? "*", facts.instanceId);
  const decisions = roleDecisions(role.permissions.value, actions, { arn });
  const refused = Object.entries(decisions).filter(([, d]) => d === "implicitDeny" || d === "explicitDeny");
  const coreRefused = refused.filter(([action]) => !action.startsWith("ec2messages:"));
  const conditional = Object.entries(decisions).filter(([, d]) => d === "conditional");
  const how = role.permissions.value.source === "simulation" ? "iam:SimulatePrincipalPolicy" : "its policies";
  const fix = `Attach AmazonSSMManagedInstanceCore to ${role.name}: aws iam attach-role-policy --role-name ${role.name} --policy-arn ${CORE_POLICY}.`;
  if (coreRefused.length > 0) {
    const denied = coreRefused.map(([a, d]) => `${a}${d === "explicitDeny" ? " (explicit deny)" : ""}`).join(", ");
    if (dhmcRole) return check("ok", `${role.name} does not allow ${denied} (per ${how}); ${dhmcText}, which the agent falls back to.`);
    return check("fail", `Role ${role.name} of ${facts.instanceId} does not allow ${denied} (per ${how}).`, fix);
  }
  if (refused.length > 0) {
    const text = `${role.name} does not allow ${refused.map(([a]) => a).join(", ")} (per ${how}), which agents before 3.3.40.0 need`;
    return needsEc2messages ? check("fail", `${text}.`, fix) : check("warn", `${text}; this agent's version is unknown.`, fix);
  }
  if (conditional.length > 0) {
    return check(
      "warn",
      `${role.name} allows ${conditional.map(([a]) => a).join(", ")} only under conditions (per ${how}).`,
      "Make sure the conditions hold for the agent's requests, or attach AmazonSSMManagedInstanceCore.",
    );
  }
  return check("ok", `Role ${role.name} allows the agent's calls (per ${how}).`);
}
