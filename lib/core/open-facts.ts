import type { PingFacts, Read } from "./readiness-facts.js";

/**
 * What an open reads besides the VPC (lib/aws/agents.ts, preferences.ts, pricing.ts) and the open
 * plan decides on (lib/sessions/open-needs.ts): which endpoints this session really needs, and
 * what an endpoint-hour costs in its region.
 */

/** The Session document every Session Manager session runs with (the account's preferences). */
export const PREFERENCES_DOCUMENT = "SSM-SessionManagerRunShell";

/** The inputs of that document that need an endpoint of their own. Empty strings count as unset. */
export interface SessionPreferences {
  /** Session logs go to this CloudWatch Logs group (streamed, or uploaded at the end): the `logs` endpoint. */
  cloudWatchLogGroupName?: string;
  cloudWatchStreamingEnabled: boolean;
  /** Sessions are encrypted with this KMS key: the `kms` endpoint. */
  kmsKeyId?: string;
  /** Session logs go to this S3 bucket: the (free) S3 Gateway endpoint. */
  s3BucketName?: string;
}

export interface OpenFacts {
  /** SSM's view of the named instance's agent: undefined inside when SSM does not know it. */
  agent?: Read<PingFacts>;
  /** The preferences: undefined inside when the account has no such document (no extras). */
  preferences: Read<SessionPreferences | undefined>;
}

/** The price of one Interface endpoint in one AZ for one hour, and where it came from. */
export interface EndpointPrice {
  usd: number;
  /** "price-list": the AWS Price List Query API; "configured": ENDPOINT_HOURLY_USD (the API could not answer). */
  source: "price-list" | "configured";
}
