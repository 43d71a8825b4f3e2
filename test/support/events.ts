import type { ApiEvent } from "../../lib/api/http.js";
import { localContext } from "../../local/http.js";

export const CALLER = "arn:aws:iam::123456789012:user/alice";

/** An API Gateway HTTP API (payload 2.0) event with an IAM authorizer, as API Gateway sends it. */
export function apiEvent(
  method: string,
  path: string,
  body?: unknown,
  options: { caller?: string | null; headers?: Record<string, string>; pathParameters?: Record<string, string>; rawBody?: string } = {},
): ApiEvent {
  const text = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const caller = options.caller === undefined ? CALLER : options.caller;
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json", ...(options.headers ?? {}) },
    pathParameters: options.pathParameters,
    body: text,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
      requestId: "req-1",
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: "30/Nov/2026:00:00:00 +0000",
      timeEpoch: 0,
      authorizer: {
        iam: caller
          ? {
              accessKey: "AKIA",
              accountId: "123456789012",
              callerId: "AIDA",
              cognitoIdentity: null,
              principalOrgId: "o-example",
              userArn: caller,
              userId: "AIDA",
            }
          : (undefined as never),
      },
    },
  } as ApiEvent;
}

/** The Lambda context local mode hands its handlers; tests use the same one. */
export const lambdaContext = localContext("test");

/** A CloudFormation stack status change as EventBridge delivers it to the stack-events function. */
export const stackStatusEvent = (stackName: string, status: string, reason: string) => ({
  source: "aws.cloudformation",
  "detail-type": "CloudFormation Stack Status Change",
  region: "us-east-1",
  detail: {
    "stack-id": `arn:aws:cloudformation:us-east-1:123456789012:stack/${stackName}/0a1b2c3d`,
    "status-details": { status, "status-reason": reason },
  },
});
