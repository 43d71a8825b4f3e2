/**
 * SSM Agent 3.3.40.0 and later stop using ec2messages once ssmmessages connects (the agent's
 * release notes): true when this version still needs it, false when it does not, undefined when
 * the version is unknown or unreadable.
 */
export function needsEc2messages(agentVersion: string | undefined): boolean | undefined {
  if (!agentVersion || !/^\d+(\.\d+)*$/.test(agentVersion)) return undefined;
  const parts = agentVersion.split(".").map(Number);
  const floor = [3, 3, 40, 0];
  for (let i = 0; i < floor.length; i++) {
    const part = parts[i] ?? 0;
    if (part !== floor[i]) return part < floor[i];
  }
  return false;
}

/** The first agent version that no longer needs ec2messages, for messages. */
export const EC2MESSAGES_FREE_FROM = "3.3.40.0";
