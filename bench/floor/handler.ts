// The floor under every ssm-knock function: one AWS SDK client with one command, the Powertools
// logger and middy, bundled like the functions. No function of this stack can init faster than
// this, so the bench prints it beside them to show how much of their init is their own.
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import middy from "@middy/core";
import { logger } from "../../lib/runtime/logger.js";

const client = () => new CloudFormationClient({ region: process.env.AWS_REGION });

export const handler = middy(async () => client().send(new DescribeStacksCommand({}))).use(injectLambdaContext(logger));
