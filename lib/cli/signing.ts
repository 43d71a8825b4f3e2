import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { CliError } from "./errors.js";
import type { Settings } from "./settings.js";

/** A request as the API client builds it, before authentication. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Adds what proves who is calling: a SigV4 signature, and local mode's x-ssm-knock-user. */
export type Authenticate = (request: OutgoingRequest) => Promise<Record<string, string>>;

/** SigV4 for API Gateway (service execute-api), by the SDK's own signer; the host is signed, as SigV4 requires. */
export function sigV4Signer(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, region: string) {
  const signer = new SignatureV4({ service: "execute-api", region, credentials, sha256: Hash.bind(null, "sha256") });
  return async (request: OutgoingRequest): Promise<Record<string, string>> => {
    const { url } = request;
    const signed = await signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...request.headers, host: url.host },
      body: request.body,
    });
    // fetch sends Host itself, from the same URL.
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}

/**
 * How this run authenticates. The standard AWS credential chain (--profile, the environment, SSO,
 * the credentials file, container and instance roles) signs every request whenever it finds
 * credentials. Local mode works without any and is told the caller's name in x-ssm-knock-user;
 * anywhere else, no credentials is an error that says how to get some.
 */
export async function authenticator(
  settings: Settings,
  provider = fromNodeProviderChain({ profile: settings.profile }),
): Promise<Authenticate> {
  const user: Record<string, string> = settings.local ? { "x-ssm-knock-user": settings.user } : {};
  try {
    await provider();
  } catch (error) {
    if (settings.local) return async (request) => ({ ...request.headers, ...user });
    const login = settings.profile ? `aws sso login --profile ${settings.profile}` : "aws sso login, or aws configure";
    throw new CliError(
      `No AWS credentials to sign the request to ${settings.api.origin} (${(error as Error).message}). Sign in (${login}) or pass --profile.`,
      undefined,
      { cause: error },
    );
  }
  const sign = sigV4Signer(provider, settings.signingRegion);
  return (request) => sign({ ...request, headers: { ...request.headers, ...user } });
}
