import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";

/**
 * Hands a payload to another function with an asynchronous invocation: Lambda queues it and
 * answers at once (tens of ms), and retries the target itself if it crashes. The caller waits at
 * most `timeoutMs` for that acknowledgement, never for the work.
 */
export async function invokeAsync(lambda: LambdaClient, functionName: string, payload: unknown, timeoutMs = 2000): Promise<void> {
  await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "Event", Payload: JSON.stringify(payload) }), {
    abortSignal: AbortSignal.timeout(timeoutMs),
  });
}
