import { AssociateIamInstanceProfileCommand, EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { targetRoleArn } from "../lib/aws/assume-role.js";
import type { Config } from "../lib/runtime/config.js";
import { createInstanceProfile } from "./agent/seed.js";
import { seedWorld } from "./seed.js";

// Local mode's member accounts (ALLOWED_ACCOUNT_IDS, issue 17): moto's multi-account support acts
// in a role's account with the credentials STS AssumeRole issued for it, so local mode reaches a
// member account as the functions do, through its target role (which moto does not check exists).

/** The accounts of the configuration other than the hub's. */
export const memberAccountsOf = (config: Pick<Config, "accounts">) => config.accounts.allowed.filter((id) => id !== config.accounts.hub);

/** Credentials that act in a member account, assumed with local mode's own (from `endpoint`, or AWS_ENDPOINT_URL). */
export function memberCredentials(
  config: Pick<Config, "accounts" | "region">,
  accountId: string,
  endpoint?: string,
): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    params: { RoleArn: targetRoleArn(config.region, accountId, config.accounts.targetRoleName), RoleSessionName: "ssm-knock-local" },
    clientConfig: { region: config.region, ...(endpoint ? { endpoint } : {}) },
    masterCredentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

export interface MemberDemo {
  accountId: string;
  vpcId: string;
  instanceIds: string[];
}

/** A demo VPC in each member account, one instance in it whose agent can connect (AmazonSSMManagedInstanceCore). */
export async function seedMemberDemos(config: Pick<Config, "accounts" | "region">): Promise<MemberDemo[]> {
  const demos: MemberDemo[] = [];
  for (const [index, accountId] of memberAccountsOf(config).entries()) {
    const client = { region: config.region, credentials: memberCredentials(config, accountId) };
    const ec2 = new EC2Client(client);
    const world = await seedWorld(ec2, { region: config.region, cidr: `10.${50 + (index % 50)}.0.0/16`, instances: 1 });
    const profile = await createInstanceProfile(new IAMClient(client), "ssm-knock-demo-agent");
    for (const InstanceId of world.instanceIds) {
      await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId, IamInstanceProfile: { Name: profile } }));
    }
    demos.push({ accountId, vpcId: world.vpcId, instanceIds: world.instanceIds });
  }
  return demos;
}
