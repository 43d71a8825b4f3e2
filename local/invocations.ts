import { randomUUID } from "node:crypto";
import { InvokeStore, InvokeStoreBase } from "@aws/lambda-invoke-store";
import type { Context } from "aws-lambda";
import { logger } from "../lib/runtime/logger.js";
import { runAs } from "./aws-call-log.js";

/** A Lambda context for one local invocation of the function named as in serverless.yml. */
export function localContext(functionName: string): Context {
  return {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: `local-${randomUUID()}`,
    logGroupName: `/local/${functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Local mode runs every function in one process, several at once (a request, a notification in
 * the background, a schedule firing). Lambda's multi-concurrency runtime does the same, and
 * Powertools keeps each invocation's context (the function name on its log lines) apart through
 * the runtime's InvokeStore when AWS_LAMBDA_MAX_CONCURRENCY is set. Local mode's entry point
 * declares itself such a runtime before it makes any AWS call (the SDK would otherwise create a
 * single-invocation store first). In-process users (tests, the bench) skip this; their
 * invocations then share one context, as in a Lambda that runs one request at a time.
 */
export async function enableConcurrentInvocations(maxConcurrency = 64): Promise<void> {
  // The store first: Powertools refuses to log once the variable is set and no store exists.
  await InvokeStore.getInstanceAsync(true);
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= String(maxConcurrency);
}

/**
 * Runs `run` as one invocation of `functionName`: every log line written meanwhile names it, and
 * every AWS call is recorded as that function's (local/aws-call-log.ts, for the IAM simulation).
 */
export function asFunction<T>(functionName: string, run: (context: Context) => Promise<T>): Promise<T> {
  return runAs(functionName, () => invokeAs(functionName, run));
}

function invokeAs<T>(functionName: string, run: (context: Context) => Promise<T>): Promise<T> {
  const context = localContext(functionName);
  const invoke = () => {
    logger.addContext(context);
    return run(context);
  };
  const store = process.env.AWS_LAMBDA_MAX_CONCURRENCY ? globalThis.awslambda?.InvokeStore : undefined;
  return store ? store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, invoke) : invoke();
}
