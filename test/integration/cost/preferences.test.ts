import { CreateVpcEndpointCommand, EC2Client } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { beforeEach, describe, expect, it } from "vitest";
import { type DemoWorld, seedWorld } from "../../../local/seed.js";
import { writePreferences } from "../../../local/seed-egress.js";
import { api } from "../../support/api.js";
import { testDeps } from "../../support/harness.js";
import { inspector } from "../../support/inspect.js";

// Extras from the account's Session Manager preferences (issue 16), against moto (which keeps SSM
// documents): the SSM-SessionManagerRunShell Session document's inputs decide
//   - CloudWatch Logs and KMS: the logs and kms Interface endpoints, each with a warning saying why;
//   - an S3 bucket: the free S3 Gateway endpoint, on the subnet's route table;
//   - none where the VPC has its own endpoint for the service; none at all without the document;
//   - explicit extras still work beside them.
// (moto cannot answer DescribeInstanceInformation: the agents are unknown, so ec2messages stays.)

const ec2 = new EC2Client({ region: "us-east-1" });
const ssm = new SSMClient({ region: "us-east-1" });
const look = inspector();
let world: DemoWorld;

beforeEach(async () => {
  world = await seedWorld(ec2, { region: "us-east-1" });
});

const inEc2 = async () => (await look.endpoints(world.vpcId)).map((e) => `${e.ServiceName?.split(".").pop()}:${e.VpcEndpointType}`).sort();

describe("the Session Manager preferences", () => {
  it("add the logs and kms endpoints when sessions stream to CloudWatch Logs and are encrypted with KMS", async () => {
    await writePreferences(ssm, { cloudWatchLogGroupName: "/ssm/sessions", cloudWatchStreamingEnabled: true, kmsKeyId: "alias/sessions" });
    const reply = await api(testDeps()).open({ instanceId: world.instanceIds[0], ttl: "2h" });
    expect(reply.status).toBe(202);
    expect(reply.body.session.endpoints.map((e: { service: string }) => e.service)).toEqual([
      "ssm",
      "ssmmessages",
      "ec2messages",
      "kms",
      "logs",
    ]);
    expect(reply.body.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^logs: the Session Manager preferences \(SSM-SessionManagerRunShell\) stream session logs to CloudWatch Logs group "\/ssm\/sessions"/,
        ),
        expect.stringMatching(/^kms: .* encrypt sessions with KMS key "alias\/sessions"/),
      ]),
    );
    expect(await inEc2()).toEqual(["ec2messages:Interface", "kms:Interface", "logs:Interface", "ssm:Interface", "ssmmessages:Interface"]);
    // 5 endpoints x 1 AZ x 2 h x USD 0.01
    expect(reply.body.session.estimatedCostUsd).toBe(0.1);
  });

  it("add the free S3 Gateway endpoint on the instance subnet's route table when sessions log to S3", async () => {
    await writePreferences(ssm, { s3BucketName: "session-logs" });
    const reply = await api(testDeps()).open({ instanceId: world.instanceIds[0] });
    expect(reply.body.session.endpoints.map((e: { service: string }) => e.service)).toEqual(["ssm", "ssmmessages", "ec2messages", "s3"]);
    const gateway = (await look.endpoints(world.vpcId)).find((e) => e.VpcEndpointType === "Gateway");
    expect(gateway?.ServiceName).toBe("com.amazonaws.us-east-1.s3");
    expect(gateway?.RouteTableIds?.length).toBe(1);
    // The Gateway endpoint is free: still 3 endpoints x 2 h x USD 0.01.
    expect(reply.body.session.estimatedCostUsd).toBe(0.06);
  });

  it("add nothing the VPC already has, nothing without the document, and keep explicit extras", async () => {
    const reply = await api(testDeps()).open({ instanceId: world.instanceIds[0], extras: ["kms"] });
    expect(reply.body.session.endpoints.map((e: { service: string }) => e.service)).toEqual(["ssm", "ssmmessages", "ec2messages", "kms"]);

    const other = await seedWorld(ec2, { region: "us-east-1", cidr: "10.43.0.0/16" });
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: other.vpcId,
        ServiceName: "com.amazonaws.us-east-1.logs",
        VpcEndpointType: "Interface",
        SubnetIds: [other.subnetIds[1]],
        PrivateDnsEnabled: true,
      }),
    );
    await writePreferences(ssm, { cloudWatchLogGroupName: "/ssm/sessions" });
    const served = await api(testDeps()).open({ instanceId: other.instanceIds[0] });
    expect(served.body.session.endpoints.map((e: { service: string }) => e.service)).toEqual(["ssm", "ssmmessages", "ec2messages"]);
    expect(served.body.warnings).toContain(`logs: not created: the VPC's own endpoint ${VpcEndpoint?.VpcEndpointId} already serves it.`);
  });
});
