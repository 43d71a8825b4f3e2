import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity } from "@smithy/types";
import { ec2Client, instancesNamed, type NamedInstance } from "../aws/instances.js";
import { describeInstance } from "../aws/vpc-facts.js";
import { AppError } from "../core/errors.js";
import { INSTANCE_ID, VPC_ID } from "../core/ids.js";
import { CliError } from "./errors.js";
import type { Settings } from "./settings.js";

/** What a person names on the command line: an instance id, a VPC id, or an instance's Name tag. */
export type Target = { kind: "instance"; id: string } | { kind: "vpc"; id: string } | { kind: "name"; name: string };

export function parseTarget(text: string): Target {
  if (INSTANCE_ID.test(text)) return { kind: "instance", id: text };
  if (VPC_ID.test(text)) return { kind: "vpc", id: text };
  return { kind: "name", name: text };
}

/** The EC2 look-ups target resolution needs; `ec2Directory` answers them from DescribeInstances. */
export interface InstanceDirectory {
  region: string;
  named(name: string): Promise<NamedInstance[]>;
  vpcOf(instanceId: string): Promise<string>;
}

function candidateLine(instance: NamedInstance): string {
  const launched = instance.launchTime ? `launched ${instance.launchTime.replace(/\.\d+Z$/, "Z")}` : "";
  return `  ${[instance.instanceId, instance.state, instance.vpcId ?? "", instance.privateIpAddress ?? "", launched].filter(Boolean).join("  ")}`;
}

/** The one running or stopped instance with this Name tag; none, or more than one, is an error that lists them. */
export async function instanceNamed(name: string, directory: InstanceDirectory): Promise<NamedInstance> {
  const found = await directory.named(name);
  if (found.length === 1) return found[0];
  if (!found.length) {
    throw new CliError(
      `No running or stopped instance has the Name tag "${name}" in ${directory.region}; check the name (it is case-sensitive) and --region.`,
    );
  }
  const list = found.map(candidateLine).join("\n");
  throw new CliError(`The Name tag "${name}" matches ${found.length} instances in ${directory.region}; give one by its id:\n${list}`);
}

/** The instance a connect or proxy is for: an id as given, a Name tag resolved. */
export async function instanceOf(target: Target, directory: () => InstanceDirectory): Promise<string> {
  if (target.kind === "instance") return target.id;
  if (target.kind === "vpc") throw new CliError(`${target.id} is a VPC; connect to an instance: give its id (i-…) or its Name tag.`);
  return (await instanceNamed(target.name, directory())).instanceId;
}

/** The session (a VPC id) a status, extend or close is for: the VPC as given, or the instance's VPC. */
export async function sessionIdOf(target: Target, directory: () => InstanceDirectory): Promise<string> {
  if (target.kind === "vpc") return target.id;
  const instanceId = target.kind === "instance" ? target.id : (await instanceNamed(target.name, directory())).instanceId;
  return directory().vpcOf(instanceId);
}

const isLoopback = (url: string | undefined) => Boolean(url && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url));

/** EC2 errors as the CLI tells them: the API's own wording for what it knows, the AWS error's name otherwise. */
function explained(region: string) {
  return (error: unknown): never => {
    if (error instanceof AppError || error instanceof CliError) throw new CliError(error.message, undefined, { cause: error });
    const { name, message } = error as Error;
    throw new CliError(
      `EC2 DescribeInstances in ${region} failed (${name}: ${message}); the CLI needs ec2:DescribeInstances to resolve a target.`,
      undefined,
      {
        cause: error,
      },
    );
  };
}

/**
 * Target resolution against EC2 in the settings' region, with the standard credential chain and
 * --profile. AWS_ENDPOINT_URL, the SDK's own setting, points it at an emulator (local mode prints
 * its URL); an emulator on this machine is also asked without credentials. The client is made
 * on the first look-up only.
 */
export function ec2Directory(settings: Settings, env: NodeJS.ProcessEnv = process.env): InstanceDirectory {
  const chain = fromNodeProviderChain({ profile: settings.profile });
  const emulatorCredentials = async (): Promise<AwsCredentialIdentity> =>
    chain().catch(() => ({ accessKeyId: "local", secretAccessKey: "local" }));
  const ec2 = ec2Client({ region: settings.region, credentials: isLoopback(env.AWS_ENDPOINT_URL) ? emulatorCredentials : chain });
  const fail = explained(settings.region);
  return {
    region: settings.region,
    named: (name) => instancesNamed(ec2, name).catch(fail),
    vpcOf: async (instanceId) => (await describeInstance(ec2, instanceId).catch(fail)).vpcId,
  };
}
