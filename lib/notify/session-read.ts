import { findStack, isManagedStack, specFromStack } from "../aws/stacks.js";
import { type Session, toSession } from "../core/session.js";
import type { Deps } from "../runtime/deps.js";

/** The session of an ssm-knock stack as it is now, or undefined when there is none (or it is not ours). */
export async function readSession(deps: Deps, region: string, stackName: string): Promise<Session | undefined> {
  const stack = await findStack(deps.clients(region).cloudFormation, stackName);
  if (!stack || !isManagedStack(stack)) return undefined;
  return toSession(
    { spec: specFromStack(stack, region), stackName, stackStatus: stack.StackStatus },
    deps.clock(),
    deps.config.endpointHourlyUsd,
  );
}
