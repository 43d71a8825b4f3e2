import type { Instance } from "@aws-sdk/client-ec2";
import { parseDuration } from "../../lib/core/duration.js";

/** Tags on an emulator instance that set its agent's model (issue 14). */
export const AGENT_TAGS = {
  /** An agent version ("3.3.1000.0"), or "none" for an instance without an agent. */
  version: "ssm-knock:local-agent",
  /** How long before local mode started the agent lost its connection ("6h"); absent: never connected. */
  offlineFor: "ssm-knock:local-offline-for",
} as const;

export const DEFAULT_AGENT_VERSION = "3.3.1000.0";

export interface AgentProfile {
  /** undefined: no agent on this instance. */
  version?: string;
  offlineForMs?: number;
  /** Tags that could not be read, each saying what was expected (the default is used instead). */
  problems: string[];
}

/** The model an instance's tags ask for; a bad tag falls back to the default and says so. */
export function agentProfileOf(instance: Instance): AgentProfile {
  const tag = (key: string) => instance.Tags?.find((t) => t.Key === key)?.Value?.trim();
  const problems: string[] = [];
  const id = instance.InstanceId;
  const versionTag = tag(AGENT_TAGS.version);
  let version: string | undefined = DEFAULT_AGENT_VERSION;
  if (versionTag === "none") version = undefined;
  else if (versionTag && /^\d+\.\d+\.\d+\.\d+$/.test(versionTag)) version = versionTag;
  else if (versionTag) problems.push(`${id}: ${AGENT_TAGS.version}="${versionTag}" is neither "none" nor a version such as 3.3.1000.0`);
  const offlineTag = tag(AGENT_TAGS.offlineFor);
  const offlineForMs = offlineTag ? parseDuration(offlineTag) : undefined;
  if (offlineTag && offlineForMs === undefined) {
    problems.push(`${id}: ${AGENT_TAGS.offlineFor}="${offlineTag}" is not a duration such as 6h, 90m or 1d`);
  }
  return { version, offlineForMs, problems };
}
