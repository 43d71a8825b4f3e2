import { readFileSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { join } from "node:path";
import { loadSharedConfigFiles } from "@smithy/core/config";
import { ACCOUNT_ID, REGION } from "../core/ids.js";
import * as z from "../core/zod.js";
import type { GlobalFlags } from "./args.js";
import { CliError } from "./errors.js";

/** Everything a command needs to know besides its own arguments, resolved once per run. */
export interface Settings {
  api: URL;
  /** Local mode: http on the loopback interface; the caller's name goes in x-ssm-knock-user. */
  local: boolean;
  /** Where instances are looked up, sessions opened, and (unless the API's URL says) requests signed. */
  region: string;
  /** The region of the API's own URL (`*.execute-api.<region>.amazonaws.com`), or `region`. */
  signingRegion: string;
  /** The account sessions are opened in; unset means the service's own (the API's default). */
  account?: string;
  profile?: string;
  user: string;
  output: "json" | "table";
  /** How often a wait asks the API (SSM_KNOCK_POLL_MS, default 3000). */
  pollMs: number;
}

const entryShape = {
  api: z.optional(z.string()),
  region: z.optional(z.string().check(z.regex(REGION, "must be an AWS region such as eu-west-1"))),
  account: z.optional(z.string().check(z.regex(ACCOUNT_ID, "must be a 12-digit AWS account id"))),
  profile: z.optional(z.string()),
  user: z.optional(z.string()),
  output: z.optional(z.enum(["json", "table"])),
};
const Entry = z.strictObject(entryShape);
const ConfigFile = z.strictObject({ ...entryShape, profiles: z.optional(z.record(z.string(), Entry)) });
type ConfigEntry = z.infer<typeof Entry>;

/** $SSM_KNOCK_CONFIG, else $XDG_CONFIG_HOME/ssm-knock/config.json, else ~/.config/ssm-knock/config.json. */
export function configPath(env: NodeJS.ProcessEnv): string {
  return env.SSM_KNOCK_CONFIG || join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "ssm-knock", "config.json");
}

/** The config file's settings, with the section of the AWS profile in use laid over the top level. */
export function readConfigFile(path: string, profile: string | undefined): ConfigEntry {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The config file ${path} is not JSON (${(error as Error).message}); see "ssm-knock --help" for its shape.`);
  }
  const result = ConfigFile.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CliError(`The config file ${path}: ${issue.path.join(".") || "(top level)"} ${issue.message}.`);
  }
  const { profiles, ...top } = result.data;
  return { ...top, ...(profiles?.[profile ?? "default"] ?? {}) };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const EXECUTE_API = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** The API's URL, checked: https, or plain http to this machine only (local mode). */
export function apiUrl(text: string): { url: URL; local: boolean } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`The API URL "${text}" is not a URL; give one such as https://abc123.execute-api.eu-west-1.amazonaws.com.`);
  }
  const local = url.protocol === "http:" && LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !local) {
    throw new CliError(`The API URL ${url.origin} must use https (plain http only for local mode on 127.0.0.1 or localhost).`);
  }
  return { url, local };
}

/** The region of the AWS profile in ~/.aws/config, as the AWS CLI would use it. */
async function profileRegion(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const files = loadSharedConfigFiles({ configFilepath: env.AWS_CONFIG_FILE || undefined, ignoreCache: true });
  const { configFile } = await files.catch(() => ({ configFile: {} as Record<string, Record<string, string>> }));
  return configFile[profile ?? "default"]?.region;
}

/**
 * Settings from, in this order: the flags, the environment (SSM_KNOCK_API, AWS_PROFILE,
 * AWS_REGION, AWS_DEFAULT_REGION, SSM_KNOCK_ACCOUNT), ssm-knock's config file, and the AWS
 * profile's region.
 */
export async function resolveSettings(flags: GlobalFlags, env: NodeJS.ProcessEnv): Promise<Settings> {
  const path = configPath(env);
  const profile = flags.profile ?? (env.AWS_PROFILE || undefined) ?? readConfigFile(path, undefined).profile;
  const file = readConfigFile(path, profile);
  const apiText = flags.api ?? (env.SSM_KNOCK_API || undefined) ?? file.api;
  if (!apiText) {
    throw new CliError(`No API URL: pass --api, set SSM_KNOCK_API, or put "api" in ${path} (local mode: --api http://127.0.0.1:3000).`);
  }
  const { url, local } = apiUrl(apiText);
  const urlRegion = EXECUTE_API.exec(url.hostname)?.[1];
  const region =
    flags.region ??
    (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined) ??
    file.region ??
    (await profileRegion(profile, env)) ??
    urlRegion ??
    (local ? "us-east-1" : undefined);
  if (!region) throw new CliError(`No region: pass --region or put "region" in ${path} (the API's URL does not name one).`);
  if (!REGION.test(region)) throw new CliError(`--region must be an AWS region such as eu-west-1, not "${region}".`);
  const pollMs = Number(env.SSM_KNOCK_POLL_MS || 3000);
  const account = flags.account ?? (env.SSM_KNOCK_ACCOUNT || undefined) ?? file.account;
  if (account !== undefined && !ACCOUNT_ID.test(account))
    throw new CliError(`SSM_KNOCK_ACCOUNT must be a 12-digit AWS account id such as 222222222222, not "${account}".`);
  return {
    api: url,
    local,
    region,
    signingRegion: urlRegion ?? region,
    account,
    profile,
    user: flags.user ?? file.user ?? userInfo().username,
    output: flags.output ?? file.output ?? "table",
    pollMs: Number.isFinite(pollMs) && pollMs >= 10 ? pollMs : 3000,
  };
}
