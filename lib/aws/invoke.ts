import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { Deferrer } from "../slack/jobs.js";

/** AWS: an asynchronous invocation of the slack-worker function (Lambda queues it and returns). */
export function lambdaDeferrer(lambda: LambdaClient, functionName: string): Deferrer {
  return async (job) => {
    await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "Event", Payload: JSON.stringify(job) }), {
      abortSignal: AbortSignal.timeout(2000),
    });
  };
}
