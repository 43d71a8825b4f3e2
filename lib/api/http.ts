import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { UnauthorizedError } from "../core/errors.js";

export type ApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer & { jsonBody?: unknown };
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** A request header by name, whatever its case (API Gateway lower-cases them; local tools may not). */
export const header = (event: Pick<ApiEvent, "headers">, name: string): string | undefined =>
  Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

/** The body as the client sent it: API Gateway base64-encodes some bodies (form posts, binary types). */
export const rawBody = (event: Pick<ApiEvent, "body" | "isBase64Encoded">): string =>
  event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");

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
