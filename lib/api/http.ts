import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { UnauthorizedError } from "../core/errors.js";

export type ApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer & { jsonBody?: unknown };
export type ApiResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** The caller: the IAM principal that signed the request (local mode sets it from a header). */
export function requesterOf(event: ApiEvent): string {
  const iam = event.requestContext?.authorizer?.iam;
  const who = iam?.userArn || iam?.userId;
  if (!who) throw new UnauthorizedError("The request is not signed; call the API with SigV4 (see the README).");
  return who;
}
