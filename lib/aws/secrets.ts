import { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { Deps } from "../runtime/deps.js";

/**
 * The integrations' secrets. They are not part of Config on purpose: Config may be logged, and
 * these must never be (the Slack webhook URL is itself a credential).
 */
export interface IntegrationSecrets {
  slackSigningSecret?: string;
  slackWebhookUrl?: string;
  webhookUrl?: string;
  webhookSecret?: string;
}

export type SecretSource = () => Promise<IntegrationSecrets>;

type SecretName = keyof IntegrationSecrets;

/** Local mode: environment variables. */
export const SECRET_ENV: Record<SecretName, string> = {
  slackSigningSecret: "SLACK_SIGNING_SECRET",
  slackWebhookUrl: "SLACK_WEBHOOK_URL",
  webhookUrl: "WEBHOOK_URL",
  webhookSecret: "WEBHOOK_SECRET",
};

/** AWS: SecureString parameters under SECRETS_PARAMETER_PATH, e.g. /ssm-knock/prod/slack-signing-secret. */
export const SECRET_PARAMETER: Record<SecretName, string> = {
  slackSigningSecret: "slack-signing-secret",
  slackWebhookUrl: "slack-webhook-url",
  webhookUrl: "webhook-url",
  webhookSecret: "webhook-secret",
};

const names = Object.keys(SECRET_ENV) as SecretName[];

export function envSecrets(env: NodeJS.ProcessEnv = process.env): SecretSource {
  return async () => Object.fromEntries(names.flatMap((name) => (env[SECRET_ENV[name]] ? [[name, env[SECRET_ENV[name]]]] : [])));
}

/**
 * Reads every secret with one GetParametersByPath (decrypted) and keeps them for `maxAgeSeconds`
 * (Powertools' parameters cache), so a warm function asks SSM at most once per interval. A
 * missing parameter simply switches its integration off.
 */
export function ssmSecrets(ssm: SSMClient, path: string, maxAgeSeconds = 300): SecretSource {
  const provider = new SSMProvider({ awsSdkV3Client: ssm });
  const prefix = path.endsWith("/") ? path : `${path}/`;
  return async () => {
    const values = (await provider.getMultiple(prefix, { decrypt: true, maxAge: maxAgeSeconds })) ?? {};
    const secrets: IntegrationSecrets = {};
    for (const name of names) {
      const value = values[SECRET_PARAMETER[name]];
      if (typeof value === "string" && value) secrets[name] = value;
    }
    return secrets;
  };
}

/** SSM in AWS (SECRETS_PARAMETER_PATH set), environment variables otherwise. */
export function secretSourceFor(deps: Pick<Deps, "config" | "clients">): SecretSource {
  const path = deps.config.notify.secretsParameterPath;
  return path ? ssmSecrets(deps.clients(deps.config.region).ssm, path) : envSecrets();
}
