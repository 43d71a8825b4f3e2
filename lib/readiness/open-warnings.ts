import type { Check, ReadinessFacts } from "../core/readiness-facts.js";
import type { Session } from "../core/session.js";
import { checksBeforeStack } from "./checks.js";

/**
 * The open's readiness warnings: the checks of the instance that do not depend on the stack
 * (its agent, route, ACLs, egress, role, VPC DNS), as if the session's endpoints were there, each
 * failing or doubtful one as a sentence with its fix. With restartAgent asked for, the agent's
 * fix says what ssm-knock will do instead.
 */
export function openWarnings(
  facts: ReadinessFacts,
  session: Session,
  options: { restartAgent: boolean; graceText: string },
  now: Date,
): string[] {
  const plan = {
    subnetIds: session.subnetIds,
    services: session.endpoints.map((endpoint) => endpoint.service).filter((service) => service !== "s3"),
  };
  return checksBeforeStack(facts, plan, now)
    .filter((check) => check.status === "fail" || check.status === "warn")
    .map((check) => sentence(check, options));
}

function sentence(check: Check, options: { restartAgent: boolean; graceText: string }): string {
  const fix =
    check.name === "agent-ping" && options.restartAgent
      ? `ssm-knock reboots it if it cannot take a session ${options.graceText} after the endpoints are available (restartAgent).`
      : check.fix;
  return `${check.name}: ${check.message}${fix ? ` Fix: ${fix}` : ""}`;
}
