// The naive build's entry: the open function as a first version would ship it, with every client
// the service uses imported eagerly (as lib/aws.ts once did). bench/bundles.ts builds it with
// esbuild's default module resolution (CommonJS `main` first, so nothing tree-shakes).
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SSMClient } from "@aws-sdk/client-ssm";

export const clients = { CloudFormationClient, EC2Client, SchedulerClient, SSMClient };
export { createHandler, handler } from "../../functions/open.js";
