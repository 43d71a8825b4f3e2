import { parseDuration } from "../core/duration.js";
import { VPC_ID } from "../core/ids.js";
import * as z from "../core/zod.js";

const duration = (fallback: string) =>
  z.pipe(
    z._default(z.string(), fallback),
    z.transform((text: string, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) ctx.issues.push({ code: "custom", message: `not a duration: "${text}" (try "2h")`, input: text });
      return ms ?? 0;
    }),
  );

const list = () =>
  z.pipe(
    z._default(z.string(), ""),
    z.transform((text: string) =>
      text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  );

const positiveInt = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.positive()), fallback);

// Built on first use (z.lazy): constructing zod schemas costs milliseconds of a Lambda's cold
// start, and the configuration is only read on the first invocation.
const EnvSchema = z.lazy(() =>
  z.object({
    AWS_REGION: z._default(z.string(), "us-east-1"),
    ALLOWED_REGIONS: list(),
    STACK_PREFIX: z._default(z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9-]{0,30}$/)), "ssm-knock"),
    SCHEDULE_GROUP: z._default(z.string().check(z.regex(/^[0-9a-zA-Z-_.]{1,64}$/)), "ssm-knock"),
    EXPIRE_FUNCTION_ARN: z._default(z.string(), "arn:aws:lambda:us-east-1:123456789012:function:ssm-knock-local-expire"),
    SCHEDULER_ROLE_ARN: z._default(z.string(), "arn:aws:iam::123456789012:role/ssm-knock-local-scheduler"),
    SCHEDULE_DLQ_ARN: z.optional(z.string()),
    CFN_ROLE_ARN: z.optional(z.string()),
    TTL_DEFAULT: duration("2h"),
    TTL_MIN: duration("15m"),
    TTL_MAX: duration("12h"),
    MAX_LIFETIME: duration("24h"),
    ENDPOINT_HOURLY_USD: z._default(z.coerce.number().check(z.nonnegative()), 0.01),
    SCHEDULE_RETRY_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(185)), 185),
    SWEEP_CONCURRENCY: positiveInt(8),
    // Policy: which VPCs may get endpoints, and how many sessions may be open at once.
    ALLOWED_VPC_IDS: list().check(
      z.refine((ids: string[]) => ids.every((id) => VPC_ID.test(id)), "every item must look like vpc-0123456789abcdef0"),
    ),
    ALLOWED_VPC_TAG: z.pipe(
      z._default(z.string(), ""),
      z.transform((text: string) => parseTagRule(text)),
    ),
    MAX_SESSIONS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 20),
    // Readiness (issue 14): the watch's target, and the opt-in kick. Rebooting is off unless the
    // deployment says ALLOW_REBOOT=true; REBOOT_TAG narrows it to instances with that tag.
    READINESS_FUNCTION_ARN: z._default(z.string(), "arn:aws:lambda:us-east-1:123456789012:function:ssm-knock-local-readiness"),
    ALLOW_REBOOT: z._default(z.enum(["true", "false"]), "false"),
    REBOOT_TAG: z.pipe(
      z._default(z.string(), ""),
      z.transform((text: string) => parseTagRule(text)),
    ),
    AGENT_GRACE: duration("3m"),
    // Slack and notifications (issue 5). Secrets are not configuration: see lib/notify/secrets.ts.
    SECRETS_PARAMETER_PATH: z.optional(z.string()),
    SLACK_COMMAND: z._default(z.string().check(z.regex(/^\/[a-z0-9_-]{1,31}$/)), "/knock"),
    SLACK_ALLOWED_USERS: list(),
    SLACK_ALLOWED_CHANNELS: list(),
    SLACK_WORKER_FUNCTION_NAME: z.optional(z.string()),
    NOTIFY_FUNCTION_NAME: z.optional(z.string()),
    WARN_FUNCTION_ARN: z._default(z.string(), "arn:aws:lambda:us-east-1:123456789012:function:ssm-knock-local-notify-expiring"),
    EXPIRY_WARNING: duration("15m"),
    NOTIFY_TIMEOUT_MS: positiveInt(3000),
    NOTIFY_RETRIES: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(10)), 3),
  }),
);

/** "key" (any value) or "key=value"; empty means no tag rule. */
function parseTagRule(text: string): { key: string; value?: string } | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const [key, ...rest] = trimmed.split("=");
  return rest.length ? { key: key.trim(), value: rest.join("=").trim() } : { key: key.trim() };
}

export interface Config {
  region: string;
  allowedRegions: string[];
  stackPrefix: string;
  scheduleGroup: string;
  expireFunctionArn: string;
  schedulerRoleArn: string;
  scheduleDeadLetterArn?: string;
  cloudFormationRoleArn?: string;
  ttl: { defaultMs: number; minMs: number; maxMs: number };
  maxLifetimeMs: number;
  endpointHourlyUsd: number;
  scheduleRetryAttempts: number;
  sweepConcurrency: number;
  policy: {
    /** VPCs that may get endpoints by id; empty with no tag rule means every VPC. */
    allowedVpcIds: string[];
    /** VPCs that carry this tag (and value, when given) may get endpoints. */
    allowedVpcTag?: { key: string; value?: string };
    /** Live sessions at most, across the allowed regions; 0 means no limit. */
    maxSessions: number;
    /** Whether a request may ask for restartAgent "if-offline", and for which instances. */
    reboot: { allowed: boolean; tag?: { key: string; value?: string } };
  };
  readiness: {
    /** Target of the watch timers. */
    functionArn: string;
    /** How long after the endpoints are available an instance may stay unconnectable before the kick. */
    agentGraceMs: number;
  };
  slack: SlackConfig;
  notify: NotifyConfig;
}

export interface SlackConfig {
  /** The slash command's name, for help texts ("/knock"). */
  command: string;
  /** Slack user and channel ids allowed to act; empty means everyone in the workspace. */
  allowedUsers: string[];
  allowedChannels: string[];
  /** The function that finishes Slack requests asynchronously (AWS); local mode runs them in-process. */
  workerFunctionName?: string;
}

export interface NotifyConfig {
  /** SSM Parameter Store path of the integration secrets (AWS); unset means environment variables. */
  secretsParameterPath?: string;
  /** The function that delivers session events (AWS); unset means the notifier Deps were given. */
  functionName?: string;
  /** Target of the "expiring" timers. */
  warnFunctionArn: string;
  /** How long before expiry session.expiring is sent. */
  warningLeadMs: number;
  timeoutMs: number;
  retries: number;
}

/**
 * Reads the service's configuration from environment variables; throws naming each bad one.
 *
 * @example
 * ```ts
 * import { loadConfig } from "../lib/runtime/config.js";
 *
 * const config = loadConfig({ ...process.env, TTL_MAX: "4h" });
 * config.ttl.maxMs; // 14_400_000
 * ```
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid ssm-knock configuration: ${problems.join("; ")}`);
  }
  const settings = parsed.data;
  if (settings.TTL_MIN > settings.TTL_MAX) throw new Error("Invalid ssm-knock configuration: TTL_MIN is above TTL_MAX");
  return {
    region: settings.AWS_REGION,
    allowedRegions: settings.ALLOWED_REGIONS.length ? settings.ALLOWED_REGIONS : [settings.AWS_REGION],
    stackPrefix: settings.STACK_PREFIX,
    scheduleGroup: settings.SCHEDULE_GROUP,
    expireFunctionArn: settings.EXPIRE_FUNCTION_ARN,
    schedulerRoleArn: settings.SCHEDULER_ROLE_ARN,
    scheduleDeadLetterArn: settings.SCHEDULE_DLQ_ARN || undefined,
    cloudFormationRoleArn: settings.CFN_ROLE_ARN || undefined,
    ttl: { defaultMs: settings.TTL_DEFAULT, minMs: settings.TTL_MIN, maxMs: settings.TTL_MAX },
    maxLifetimeMs: settings.MAX_LIFETIME,
    endpointHourlyUsd: settings.ENDPOINT_HOURLY_USD,
    scheduleRetryAttempts: settings.SCHEDULE_RETRY_ATTEMPTS,
    sweepConcurrency: settings.SWEEP_CONCURRENCY,
    policy: {
      allowedVpcIds: settings.ALLOWED_VPC_IDS,
      allowedVpcTag: settings.ALLOWED_VPC_TAG,
      maxSessions: settings.MAX_SESSIONS,
      reboot: { allowed: settings.ALLOW_REBOOT === "true", tag: settings.REBOOT_TAG },
    },
    readiness: { functionArn: settings.READINESS_FUNCTION_ARN, agentGraceMs: settings.AGENT_GRACE },
    slack: {
      command: settings.SLACK_COMMAND,
      allowedUsers: settings.SLACK_ALLOWED_USERS,
      allowedChannels: settings.SLACK_ALLOWED_CHANNELS,
      workerFunctionName: settings.SLACK_WORKER_FUNCTION_NAME || undefined,
    },
    notify: {
      secretsParameterPath: settings.SECRETS_PARAMETER_PATH || undefined,
      functionName: settings.NOTIFY_FUNCTION_NAME || undefined,
      warnFunctionArn: settings.WARN_FUNCTION_ARN,
      warningLeadMs: settings.EXPIRY_WARNING,
      timeoutMs: settings.NOTIFY_TIMEOUT_MS,
      retries: settings.NOTIFY_RETRIES,
    },
  };
}
