import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../../../lib/cli/errors.js";
import { apiUrl, configPath, resolveSettings } from "../../../lib/cli/settings.js";

const dir = () => mkdtempSync(join(tmpdir(), "ssm-knock-settings-"));

/** An environment with nothing of the caller's: no AWS files, no region, a config file where given. */
function env(config?: unknown, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = dir();
  const configFile = join(home, "config.json");
  if (config !== undefined) writeFileSync(configFile, typeof config === "string" ? config : JSON.stringify(config));
  return { SSM_KNOCK_CONFIG: configFile, AWS_CONFIG_FILE: join(home, "aws-config"), ...extra };
}

describe("resolveSettings", () => {
  it("takes the account from --account, then SSM_KNOCK_ACCOUNT, then the config file (a profile's section first); none by default", async () => {
    const config = {
      api: "https://api.example.com",
      region: "us-east-1",
      account: "222222222222",
      profiles: { b: { account: "333333333333" } },
    };
    expect((await resolveSettings({ account: "444444444444" }, env(config, { SSM_KNOCK_ACCOUNT: "555555555555" }))).account).toBe(
      "444444444444",
    );
    expect((await resolveSettings({}, env(config, { SSM_KNOCK_ACCOUNT: "555555555555" }))).account).toBe("555555555555");
    expect((await resolveSettings({}, env(config))).account).toBe("222222222222");
    expect((await resolveSettings({ profile: "b" }, env(config))).account).toBe("333333333333");
    expect((await resolveSettings({}, env({ api: "https://api.example.com", region: "us-east-1" }))).account).toBeUndefined();
    await expect(resolveSettings({}, env(config, { SSM_KNOCK_ACCOUNT: "nope" }))).rejects.toThrow(/SSM_KNOCK_ACCOUNT must be a 12-digit/);
    await expect(resolveSettings({}, env({ ...config, account: "12" }))).rejects.toThrow(/account must be a 12-digit AWS account id/);
  });

  it("takes the API from --api, then SSM_KNOCK_API, then the config file", async () => {
    const file = env({ api: "https://file.example.com" }, { SSM_KNOCK_API: "https://env.example.com", AWS_REGION: "eu-west-1" });
    expect((await resolveSettings({ api: "https://flag.example.com" }, file)).api.href).toBe("https://flag.example.com/");
    expect((await resolveSettings({}, file)).api.href).toBe("https://env.example.com/");
    expect((await resolveSettings({}, { ...file, SSM_KNOCK_API: "" })).api.href).toBe("https://file.example.com/");
  });

  it("says where to put the API URL when there is none", async () => {
    await expect(resolveSettings({}, env())).rejects.toThrow(/No API URL: pass --api, set SSM_KNOCK_API, or put "api" in .*config\.json/);
  });

  it("lays the section of the AWS profile in use over the file's top level", async () => {
    const config = {
      api: "https://dev.example.com",
      region: "us-east-1",
      output: "json",
      profiles: { prod: { api: "https://prod.example.com", region: "eu-west-1" } },
    };
    const prod = await resolveSettings({ profile: "prod" }, env(config));
    expect(prod).toMatchObject({ profile: "prod", region: "eu-west-1", output: "json" });
    expect(prod.api.host).toBe("prod.example.com");
    expect((await resolveSettings({}, env(config, { AWS_PROFILE: "prod" }))).api.host).toBe("prod.example.com");
    expect((await resolveSettings({}, env(config))).api.host).toBe("dev.example.com");
  });

  it("signs for the region in an execute-api URL, whatever region instances are looked up in", async () => {
    const settings = await resolveSettings(
      { api: "https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod", region: "us-west-2" },
      env(),
    );
    expect(settings).toMatchObject({ region: "us-west-2", signingRegion: "ap-northeast-1", local: false });
    const defaulted = await resolveSettings({ api: "https://abc123.execute-api.ap-northeast-1.amazonaws.com" }, env());
    expect(defaulted).toMatchObject({ region: "ap-northeast-1", signingRegion: "ap-northeast-1" });
  });

  it("takes the region from the AWS profile in ~/.aws/config after the flags, the environment and its own file", async () => {
    const environment = env({}, { AWS_PROFILE: "work" });
    writeFileSync(environment.AWS_CONFIG_FILE as string, "[profile work]\nregion = sa-east-1\n");
    expect((await resolveSettings({ api: "https://api.example.com" }, environment)).region).toBe("sa-east-1");
    expect((await resolveSettings({ api: "https://api.example.com" }, { ...environment, AWS_REGION: "eu-north-1" })).region).toBe(
      "eu-north-1",
    );
  });

  it("needs a region for a custom domain and knows one for local mode", async () => {
    await expect(resolveSettings({ api: "https://knock.example.com" }, env())).rejects.toThrow(/No region: pass --region/);
    const local = await resolveSettings({ api: "http://127.0.0.1:3000" }, env());
    expect(local).toMatchObject({ local: true, region: "us-east-1", user: userInfo().username, output: "table", pollMs: 3000 });
    expect((await resolveSettings({ api: "http://localhost:3000", user: "bob" }, env({ user: "carol" }))).user).toBe("bob");
  });

  it("refuses a config file that is not JSON or has unknown or wrong fields, naming the file", async () => {
    await expect(resolveSettings({}, env("{oops"))).rejects.toThrow(/config\.json is not JSON/);
    await expect(resolveSettings({}, env({ apiUrl: "https://x" }))).rejects.toThrow(/config\.json: .*apiUrl/);
    await expect(resolveSettings({}, env({ api: "https://x", region: "Europe" }))).rejects.toThrow(/region must be an AWS region/);
    await expect(resolveSettings({ api: "https://x", region: "mars-1" }, env())).rejects.toThrow(CliError);
  });
});

describe("apiUrl", () => {
  it("allows https anywhere and plain http only to this machine", () => {
    expect(apiUrl("https://abc.execute-api.eu-west-1.amazonaws.com")).toMatchObject({ local: false });
    expect(apiUrl("http://127.0.0.1:3000")).toMatchObject({ local: true });
    expect(apiUrl("http://localhost:3000")).toMatchObject({ local: true });
    expect(() => apiUrl("http://api.example.com")).toThrow(/must use https/);
    expect(() => apiUrl("not a url")).toThrow(/is not a URL/);
  });
});

describe("configPath", () => {
  it("follows SSM_KNOCK_CONFIG, then XDG_CONFIG_HOME, then ~/.config", () => {
    expect(configPath({ SSM_KNOCK_CONFIG: "/etc/knock.json" })).toBe("/etc/knock.json");
    expect(configPath({ XDG_CONFIG_HOME: "/x" })).toBe("/x/ssm-knock/config.json");
    expect(configPath({})).toMatch(/\.config\/ssm-knock\/config\.json$/);
  });
});
