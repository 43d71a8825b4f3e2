import type { Json, Resource, Template } from "../build/packaged.js";

/** The account and region every simulation deploys into (any would do; these are AWS's examples). */
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
const PARTITION = "aws";

export interface Policy {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: an IAM policy document, handed as is to iam-simulate
  policy: any;
}

/**
 * AWS managed policies the template attaches, by name. AWSLambdaBasicExecutionRole's document as
 * AWS publishes it; any other managed policy makes the resolution fail, so none slips in unseen.
 */
const AWS_MANAGED: Record<string, Json> = {
  AWSLambdaBasicExecutionRole: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }],
  },
};

/** Where a template is deployed, and with which parameters (default: their Default). */
export interface DeploymentOptions {
  account?: string;
  parameters?: Record<string, string>;
}

/**
 * A template as CloudFormation would deploy it into an account (default ACCOUNT) and REGION as
 * stack `ssm-knock-<stage>`: parameters and conditions decided, intrinsic functions resolved,
 * roles and their policies looked up. Whatever it cannot resolve faithfully throws.
 */
export class Deployment {
  readonly stackName: string;
  readonly account: string;
  private readonly pseudo: Record<string, string>;
  private readonly parameters: Record<string, string>;

  constructor(
    readonly template: Template,
    readonly stage = "dev",
    options: DeploymentOptions = {},
  ) {
    this.stackName = `ssm-knock-${stage}`;
    this.account = options.account ?? ACCOUNT;
    this.pseudo = { "AWS::AccountId": this.account, "AWS::Region": REGION, "AWS::Partition": PARTITION, "AWS::URLSuffix": "amazonaws.com" };
    const declared = (template as Template & { Parameters?: Record<string, { Default?: string }> }).Parameters ?? {};
    this.parameters = Object.fromEntries(
      Object.entries(declared).map(([name, p]) => {
        const value = options.parameters?.[name] ?? p.Default;
        if (value === undefined) throw new Error(`Parameter ${name} has no Default; give it in the deployment's parameters`);
        return [name, value];
      }),
    );
  }

  private resource(logicalId: string): Resource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`The template has no resource ${logicalId}`);
    return resource;
  }

  /** CloudFormation names unnamed resources `<stack>-<logical id>-<random>`; the random part is left out. */
  private generatedName(logicalId: string): string {
    return `${this.stackName}-${logicalId}`;
  }

  roleArn(logicalId: string): string {
    const name = this.resolve(this.resource(logicalId).Properties.RoleName) ?? this.generatedName(logicalId);
    return `arn:${PARTITION}:iam::${this.account}:role/${name}`;
  }

  private ref(name: string): string {
    if (this.pseudo[name]) return this.pseudo[name];
    if (name in this.parameters) return this.parameters[name];
    const resource = this.resource(name);
    switch (resource.Type) {
      case "AWS::IAM::ManagedPolicy":
        return `arn:${PARTITION}:iam::${this.account}:policy/${this.generatedName(name)}`;
      case "AWS::IAM::Role":
        return this.resolve(resource.Properties.RoleName) ?? this.generatedName(name);
      case "AWS::SNS::Topic":
        return `arn:${PARTITION}:sns:${REGION}:${this.account}:${this.resolve(resource.Properties.TopicName)}`;
      default:
        throw new Error(`Ref of a ${resource.Type} (${name}) is not modelled`);
    }
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    const p = resource.Properties;
    const key = `${resource.Type}.${attribute}`;
    if (key === "AWS::IAM::Role.Arn") return this.roleArn(logicalId);
    if (key === "AWS::SQS::Queue.Arn") return `arn:${PARTITION}:sqs:${REGION}:${this.account}:${this.resolve(p.QueueName)}`;
    if (key === "AWS::SQS::Queue.QueueName") return String(this.resolve(p.QueueName));
    if (key === "AWS::Lambda::Function.Arn")
      return `arn:${PARTITION}:lambda:${REGION}:${this.account}:function:${this.resolve(p.FunctionName)}`;
    throw new Error(`Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) is not modelled`);
  }

  private sub(text: string, variables: Record<string, Json> = {}): string {
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (name in variables) return String(this.resolve(variables[name]));
      const [logicalId, attribute] = name.split(".");
      return attribute ? this.getAtt(logicalId, attribute) : this.ref(logicalId);
    });
  }

  /** A template value with Ref, Fn::GetAtt, Fn::Sub and Fn::Join resolved. */
  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== "object") return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::"))) {
      const [fn] = keys;
      const arg = value[fn];
      if (fn === "Ref") return this.ref(arg);
      if (fn === "Fn::GetAtt") return this.getAtt(arg[0], arg[1]);
      if (fn === "Fn::Sub") return Array.isArray(arg) ? this.sub(arg[0], arg[1]) : this.sub(arg);
      if (fn === "Fn::Join") return (this.resolve(arg[1]) as string[]).join(arg[0]);
      if (fn === "Fn::If") return this.resolve(this.condition(arg[0]) ? arg[1] : arg[2]);
      throw new Error(`${fn} is not modelled`);
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(value[key])]));
  }

  /** Whether one of the template's conditions holds in this deployment. */
  condition(name: string): boolean {
    const conditions = (this.template as Template & { Conditions?: Record<string, Json> }).Conditions ?? {};
    if (!(name in conditions)) throw new Error(`The template has no condition ${name}`);
    return this.evaluate(conditions[name]);
  }

  private evaluate(expression: Json): boolean {
    const [fn] = Object.keys(expression ?? {});
    const arg = expression?.[fn];
    if (fn === "Fn::Equals") return this.resolve(arg[0]) === this.resolve(arg[1]);
    if (fn === "Fn::Not") return !this.evaluate(arg[0]);
    if (fn === "Fn::And") return arg.every((e: Json) => this.evaluate(e));
    if (fn === "Fn::Or") return arg.some((e: Json) => this.evaluate(e));
    if (fn === "Condition") return this.condition(arg);
    throw new Error(`Condition function ${fn} is not modelled`);
  }

  /** A resource that its Condition leaves out of this deployment does not exist. */
  private exists(resource: Resource & { Condition?: string }): boolean {
    return resource.Condition === undefined || this.condition(resource.Condition);
  }

  /**
   * Every policy in force for a role: its inline policies, the managed policies it lists (the
   * template's own or AWS's), and the template's policies that attach themselves (Roles: [Ref role]).
   */
  policiesOf(roleLogicalId: string): Policy[] {
    const role = this.resource(roleLogicalId);
    if (role.Type !== "AWS::IAM::Role") throw new Error(`${roleLogicalId} is a ${role.Type}, not a role`);
    const inline = (role.Properties.Policies ?? []).map((p: Json) => ({ name: p.PolicyName, policy: this.resolve(p.PolicyDocument) }));
    const listed = (role.Properties.ManagedPolicyArns ?? []).map((arn: Json) => this.managedPolicy(arn));
    const attached = Object.entries(this.template.Resources)
      .filter(([, r]) => /^AWS::IAM::(Managed)?Policy$/.test(r.Type) && this.exists(r))
      .filter(([, r]) => (r.Properties.Roles ?? []).some((ref: Json) => ref?.Ref === roleLogicalId))
      .map(([name, r]) => ({ name, policy: this.resolve(r.Properties.PolicyDocument) }));
    return [...inline, ...listed, ...attached];
  }

  private managedPolicy(arn: Json): Policy {
    if (arn?.Ref) return { name: arn.Ref, policy: this.resolve(this.resource(arn.Ref).Properties.PolicyDocument) };
    const name = /:iam::aws:policy\/(?:service-role\/)?(.+)$/.exec(String(this.resolve(arn)))?.[1];
    if (!name || !AWS_MANAGED[name]) throw new Error(`Managed policy ${JSON.stringify(arn)} is not modelled`);
    return { name, policy: AWS_MANAGED[name] };
  }

  /** The role's trust policy, resolved. */
  trustPolicyOf(roleLogicalId: string): Json {
    return this.resolve(this.resource(roleLogicalId).Properties.AssumeRolePolicyDocument);
  }

  /** A serverless.yml function key ("open", "slackWorker") to its Lambda resource's logical id. */
  private functionResource(functionKey: string): Resource {
    return this.resource(`${functionKey[0].toUpperCase()}${functionKey.slice(1)}LambdaFunction`);
  }

  /** The logical id of the role a function runs with. */
  roleOfFunction(functionKey: string): string {
    const role = this.functionResource(functionKey).Properties.Role;
    const logicalId = role?.["Fn::GetAtt"]?.[0];
    if (!logicalId || role["Fn::GetAtt"][1] !== "Arn") throw new Error(`Function ${functionKey} has no role of this template`);
    return logicalId;
  }

  /** A function's environment variables as deployed. */
  environmentOf(functionKey: string): Record<string, string> {
    return this.resolve(this.functionResource(functionKey).Properties.Environment?.Variables ?? {});
  }

  /** Every function key of the template. */
  functionKeys(): string[] {
    return Object.keys(this.template.Resources)
      .filter((id) => this.template.Resources[id].Type === "AWS::Lambda::Function")
      .map((id) => id.replace(/LambdaFunction$/, ""))
      .map((id) => `${id[0].toLowerCase()}${id.slice(1)}`);
  }
}
