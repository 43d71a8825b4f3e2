import { parseDuration } from "../core/duration.js";
import { ACCOUNT_ID, VPC_ID } from "../core/ids.js";
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
    // Organization (issue 17): the hub's own account (set by the deployment from AWS::AccountId;
    // moto's default account in local mode), the accounts sessions may open in, and the role the
    // functions assume there (template/target-account.yaml).
    HUB_ACCOUNT_ID: z._default(z.string().check(z.regex(ACCOUNT_ID, "must be a 12-digit account id")), "123456789012"),
    ALLOWED_ACCOUNT_IDS: list().check(
      z.refine((ids: string[]) => ids.every((id) => ACCOUNT_ID.test(id)), "every item must be a 12-digit account id"),
    ),
    TARGET_ROLE_NAME: z.optional(z.string().check(z.regex(/^[\w+=,.@-]{1,48}$/, "must be an IAM role name of at most 48 characters"))),
    // Policy: which VPCs may get endpoints, and how many sessions may be open at once.
    ALLOWED_VPC_IDS: list().check(
      z.refine((ids: string[]) => ids.every((id) => VPC_ID.test(id)), "every item must look like vpc-0123456789abcdef0"),
    ),
    ALLOWED_VPC_TAG: z.pipe(
      z._default(z.string(), ""),
      z.transform((text: string) => parseTagRule(text)),
    ),
    MAX_SESSIONS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 20),
    MAX_SESSIONS_PER_ACCOUNT: z._default(z.coerce.number().check(z.int(), z.gte(0)), 0),
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
  accounts: AccountsConfig;
  policy: {
    /** VPCs that may get endpoints by id; empty with no tag rule means every VPC. */
    allowedVpcIds: string[];
    /** VPCs that carry this tag (and value, when given) may get endpoints. */
    allowedVpcTag?: { key: string; value?: string };
    /** Live sessions at most, across the allowed accounts and regions; 0 means no limit. */
    maxSessions: number;
    /** Live sessions at most in any one account; 0 means only the total applies. */
    maxSessionsPerAccount: number;
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

export interface AccountsConfig {
  /** The account the functions run in: its sessions use the functions' own credentials. */
  hub: string;
  /** The accounts sessions may open in (ALLOWED_ACCOUNT_IDS; default: the hub alone). */
  allowed: string[];
  /** The role assumed in every other allowed account (default `<STACK_PREFIX>-target`); that
   * account's endpoint-stack role is `<name>-endpoint-stacks` (template/target-account.yaml). */
  targetRoleName: string;
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
  const accounts = accountsOf(settings);
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
    accounts,
    policy: {
      allowedVpcIds: settings.ALLOWED_VPC_IDS,
      allowedVpcTag: settings.ALLOWED_VPC_TAG,
      maxSessions: settings.MAX_SESSIONS,
      maxSessionsPerAccount: settings.MAX_SESSIONS_PER_ACCOUNT,
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

/** The longest timer name of a member account's session: `<prefix>-watch-a-<17-digit vpc id>-<account>`. */
const MEMBER_TIMER_NAME_EXTRA = "-watch-a-vpc-0123456789abcdef0-123456789012".length;

function accountsOf(settings: { HUB_ACCOUNT_ID: string; ALLOWED_ACCOUNT_IDS: string[]; TARGET_ROLE_NAME?: string; STACK_PREFIX: string }) {
  const allowed = settings.ALLOWED_ACCOUNT_IDS.length ? [...new Set(settings.ALLOWED_ACCOUNT_IDS)] : [settings.HUB_ACCOUNT_ID];
  // A member account's timers carry its id in their names, which Scheduler caps at 64 characters.
  if (allowed.some((id) => id !== settings.HUB_ACCOUNT_ID) && settings.STACK_PREFIX.length + MEMBER_TIMER_NAME_EXTRA > 64) {
    throw new Error(
      `Invalid ssm-knock configuration: STACK_PREFIX "${settings.STACK_PREFIX}" is too long for timer names of member accounts; with ALLOWED_ACCOUNT_IDS it may have at most ${64 - MEMBER_TIMER_NAME_EXTRA} characters (a stage of at most ${64 - MEMBER_TIMER_NAME_EXTRA - "ssm-knock-".length}).`,
    );
  }
  return { hub: settings.HUB_ACCOUNT_ID, allowed, targetRoleName: settings.TARGET_ROLE_NAME || `${settings.STACK_PREFIX}-target` };
}
