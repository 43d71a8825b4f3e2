import { EC2MESSAGES_FREE_FROM, needsEc2messages } from "../core/agent-version.js";
import { CORE_SERVICES, type EndpointService, EXTRA_SERVICES, type ExtraService } from "../core/endpoint-services.js";
import { type OpenFacts, PREFERENCES_DOCUMENT, type SessionPreferences } from "../core/open-facts.js";

// Which endpoints this session really needs (issue 16): ec2messages only for agents that still
// use it, and the extras the account's Session Manager preferences imply. Pure: facts in.

export interface ServiceNeeds {
  /** Every service the request needs, in the template's order. */
  services: EndpointService[];
  /** Extras implied by the preferences and not asked for: dropped, not refused, when they cannot be made. */
  implied: ExtraService[];
  /** Why a service is in `services`, where that is worth telling (one sentence each). */
  reasons: Partial<Record<EndpointService, string>>;
  /** What else the reply should say: an endpoint left out and why, preferences that could not be read. */
  notes: string[];
}

export interface NeedsInput {
  instanceId?: string;
  extras: ExtraService[];
  facts: OpenFacts;
}

/** Decides ec2messages: only an agent SSM knows, at 3.3.40.0 or later, goes without. */
function ec2messagesDecision(input: NeedsInput): { needed: boolean; why: string } {
  const { instanceId } = input;
  const agent = input.facts.agent;
  if (!instanceId || !agent) {
    return {
      needed: true,
      why: `no instance was named, so no agent version is known (open with instanceId: agents from ${EC2MESSAGES_FREE_FROM} on need no ec2messages).`,
    };
  }
  if (!agent.ok)
    return { needed: true, why: `SSM could not be asked about the agent of ${instanceId} (${agent.error}), so its version is unknown.` };
  const version = agent.value?.AgentVersion;
  if (!agent.value)
    return { needed: true, why: `SSM does not know ${instanceId}'s agent yet (it never registered), so its version is unknown.` };
  const state = agent.value.PingStatus ? ` (${agent.value.PingStatus})` : "";
  const needed = needsEc2messages(version);
  if (needed === false) {
    return {
      needed: false,
      why: `${instanceId} runs SSM Agent ${version}${state}, and agents from ${EC2MESSAGES_FREE_FROM} on stop using ec2messages once ssmmessages connects: one endpoint less per AZ-hour.`,
    };
  }
  if (needed) {
    return {
      needed: true,
      why: `${instanceId} runs SSM Agent ${version}${state}, older than ${EC2MESSAGES_FREE_FROM}, which still needs it. Fix: update the agent (AWS-UpdateSSMAgent) and later sessions need one endpoint less.`,
    };
  }
  return {
    needed: true,
    why: `SSM reports ${instanceId}'s agent version as "${version ?? ""}", which is not a version ssm-knock can compare.`,
  };
}

const SAYS = `the Session Manager preferences (${PREFERENCES_DOCUMENT})`;

/** The extras the preferences need, each with why. */
function preferenceExtras(preferences: SessionPreferences): [ExtraService, string][] {
  const implied: [ExtraService, string][] = [];
  if (preferences.cloudWatchLogGroupName) {
    const how = preferences.cloudWatchStreamingEnabled ? "stream session logs" : "upload session logs";
    implied.push([
      "logs",
      `${SAYS} ${how} to CloudWatch Logs group "${preferences.cloudWatchLogGroupName}"; without a logs endpoint sessions take minutes to start, or fail.`,
    ]);
  }
  if (preferences.kmsKeyId) {
    implied.push(["kms", `${SAYS} encrypt sessions with KMS key "${preferences.kmsKeyId}"; without a kms endpoint no session starts.`]);
  }
  if (preferences.s3BucketName) {
    implied.push(["s3", `${SAYS} write session logs to S3 bucket "${preferences.s3BucketName}" (the S3 Gateway endpoint is free).`]);
  }
  return implied;
}

/** The services an open needs, and why, from SSM's view of the agent and the account's preferences. */
export function decideServices(input: NeedsInput): ServiceNeeds {
  const reasons: ServiceNeeds["reasons"] = {};
  const notes: string[] = [];
  const ec2messages = ec2messagesDecision(input);
  if (ec2messages.needed) reasons.ec2messages = ec2messages.why;
  else notes.push(`ec2messages: not created: ${ec2messages.why}`);

  const { preferences } = input.facts;
  const implied: ExtraService[] = [];
  if (!preferences.ok) {
    notes.push(
      `The Session Manager preferences (${PREFERENCES_DOCUMENT}) could not be read (${preferences.error}). Fix: if they log to CloudWatch Logs or S3, or encrypt with KMS, add "logs", "s3" or "kms" to extras.`,
    );
  } else if (preferences.value) {
    for (const [service, why] of preferenceExtras(preferences.value)) {
      reasons[service] = why;
      if (!input.extras.includes(service)) implied.push(service);
    }
  }
  const extras = new Set<ExtraService>([...input.extras, ...implied]);
  const services: EndpointService[] = [
    ...CORE_SERVICES.filter((service) => service !== "ec2messages" || ec2messages.needed),
    ...EXTRA_SERVICES.filter((service) => extras.has(service)),
  ];
  return { services, implied, reasons, notes };
}

/** What the open needed before issue 16: the three core endpoints and the extras asked for. */
export const fixedNeeds = (extras: ExtraService[]): ServiceNeeds => ({
  services: [...CORE_SERVICES, ...EXTRA_SERVICES.filter((service) => extras.includes(service))],
  implied: [],
  reasons: {},
  notes: [],
});
