import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { PricingClient } from "@aws-sdk/client-pricing";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SSMClient } from "@aws-sdk/client-ssm";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AssumeRoleFactory } from "./assume-role.js";
import type { ClientOptions } from "./clients.js";

// One constructor per SDK client, each its own export: a function names the ones it calls
// (`{ cloudFormation, scheduler }`), and its bundle keeps only those SDK packages.
export const ec2 = (options: ClientOptions) => new EC2Client(options);
export const cloudFormation = (options: ClientOptions) => new CloudFormationClient(options);
export const scheduler = (options: ClientOptions) => new SchedulerClient(options);
export const ssm = (options: ClientOptions) => new SSMClient(options);
export const iam = (options: ClientOptions) => new IAMClient(options);

/** The Price List Query API's region for the partition of `region` (it has no endpoint in most regions). */
export const pricingRegionFor = (region: string) => (region.startsWith("cn-") ? "cn-northwest-1" : "us-east-1");
// A hung Price List must not hold an open: the price falls back to ENDPOINT_HOURLY_USD instead.
export const pricing = (options: ClientOptions) =>
  new PricingClient({
    ...options,
    region: pricingRegionFor(options.region),
    requestHandler: { requestTimeout: 2_000, connectionTimeout: 1_000 },
  });
/** A member account's credentials: STS AssumeRole of its target role with the function's own
 * credentials (the SDK's provider; its STS client is built on first use). */
export const assumeRole: AssumeRoleFactory = ({ roleArn, sessionName, region }) =>
  fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: sessionName }, clientConfig: { region } });
