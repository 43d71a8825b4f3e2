import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  type EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { CreateDocumentCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { DEMO_INSTANCE, type DemoWorld } from "./seed.js";

/** Ways out of a seeded VPC, and the account's Session Manager preferences: seeding for tests and the cost bench (never a function's calls). */

async function routeTable(ec2: EC2Client, world: DemoWorld, subnetId: string, target: { NatGatewayId?: string; GatewayId?: string }) {
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: world.vpcId }));
  const RouteTableId = RouteTable?.RouteTableId as string;
  await ec2.send(new CreateRouteCommand({ RouteTableId, DestinationCidrBlock: "0.0.0.0/0", ...target }));
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId, SubnetId: subnetId }));
  return RouteTableId;
}

async function internetGateway(ec2: EC2Client, world: DemoWorld): Promise<string> {
  const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
  const id = InternetGateway?.InternetGatewayId as string;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: world.vpcId }));
  return id;
}

/** A NAT gateway in the world's second subnet (public: routed to an internet gateway), and the first subnet's default route to it. */
export async function routeThroughNat(ec2: EC2Client, world: DemoWorld) {
  const igw = await internetGateway(ec2, world);
  await routeTable(ec2, world, world.subnetIds[1], { GatewayId: igw });
  const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
  const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: world.subnetIds[1], AllocationId }));
  const natGatewayId = NatGateway?.NatGatewayId as string;
  const routeTableId = await routeTable(ec2, world, world.subnetIds[0], { NatGatewayId: natGatewayId });
  return { natGatewayId, routeTableId };
}

/** The first subnet routed to an internet gateway, and an instance there with a public IPv4 address. */
export async function publicInstance(ec2: EC2Client, world: DemoWorld) {
  const igw = await internetGateway(ec2, world);
  const routeTableId = await routeTable(ec2, world, world.subnetIds[0], { GatewayId: igw });
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ...DEMO_INSTANCE,
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [
        { DeviceIndex: 0, SubnetId: world.subnetIds[0], Groups: [world.securityGroupId], AssociatePublicIpAddress: true },
      ],
    }),
  );
  return { igw, routeTableId, instanceId: Instances?.[0]?.InstanceId as string, publicIp: Instances?.[0]?.PublicIpAddress };
}

/** The account's Session Manager preferences document, as the console writes it (only the given inputs set). */
export async function writePreferences(ssm: SSMClient, inputs: Record<string, string | boolean>) {
  const content = {
    schemaVersion: "1.0",
    description: "Document to hold regional settings for Session Manager",
    sessionType: "Standard_Stream",
    inputs: {
      s3BucketName: "",
      s3KeyPrefix: "",
      s3EncryptionEnabled: true,
      cloudWatchLogGroupName: "",
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: false,
      kmsKeyId: "",
      runAsEnabled: false,
      runAsDefaultUser: "",
      ...inputs,
    },
  };
  await ssm.send(
    new CreateDocumentCommand({
      Name: "SSM-SessionManagerRunShell",
      DocumentType: "Session",
      DocumentFormat: "JSON",
      Content: JSON.stringify(content),
    }),
  );
}
