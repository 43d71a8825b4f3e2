import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";

/** The static credentials the CLI tests sign with: the client gets them from the environment, the server checks with them. */
export const TEST_CREDENTIALS = { accessKeyId: "AKIDCLITEST", secretAccessKey: "cli-test-secret", sessionToken: "cli-test-token" };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

export interface Verified {
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string[];
}

/**
 * Checks a request's SigV4 signature the way the service would: recomputes it with the SDK's own
 * signer from what arrived (method, host, path, query, the signed headers, the body) and the
 * same credentials, and compares. Throws, saying why, when it does not match.
 */
export async function verifySigV4(
  request: IncomingMessage,
  body: string,
  credentials: AwsCredentialIdentity = TEST_CREDENTIALS,
): Promise<Verified> {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ""));
  if (!match) throw new Error(`no SigV4 authorization header: ${request.headers.authorization ?? "(none)"}`);
  const [, accessKeyId, , region, service, signedHeaderList] = match;
  if (accessKeyId !== credentials.accessKeyId) throw new Error(`signed with ${accessKeyId}, not ${credentials.accessKeyId}`);
  const signedHeaders = signedHeaderList.split(";");
  // The signer takes a payload hash header at its word; the service hashes what arrived.
  const payloadHash = request.headers["x-amz-content-sha256"];
  if (payloadHash !== undefined && payloadHash !== createHash("sha256").update(body).digest("hex")) {
    throw new Error("x-amz-content-sha256 does not match the body");
  }
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? "")]));
  const url = new URL(request.url ?? "/", `http://${request.headers.host}`);
  const amzDate = String(request.headers["x-amz-date"]);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({ service, region, credentials, sha256: Hash.bind(null, "sha256") });
  const expected = await signer.sign(
    {
      method: request.method ?? "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: body || undefined,
    },
    { signingDate },
  );
  if (expected.headers.authorization !== request.headers.authorization) {
    throw new Error(`signature mismatch:\n  got      ${request.headers.authorization}\n  expected ${expected.headers.authorization}`);
  }
  return { accessKeyId, region, service, signedHeaders };
}
