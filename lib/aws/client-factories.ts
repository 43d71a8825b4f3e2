import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { ClientOptions } from "./clients.js";

// One constructor per SDK client, each its own export: a function names the ones it calls
// (`{ cloudFormation, scheduler }`), and its bundle keeps only those SDK packages.
export const ec2 = (options: ClientOptions) => new EC2Client(options);
export const cloudFormation = (options: ClientOptions) => new CloudFormationClient(options);
export const scheduler = (options: ClientOptions) => new SchedulerClient(options);
export const ssm = (options: ClientOptions) => new SSMClient(options);
export const iam = (options: ClientOptions) => new IAMClient(options);
