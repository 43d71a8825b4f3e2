import type { AgentView } from "./model.js";

// The three SSM actions moto cannot answer (HTTP 500), answered from the agent model in the
// awsJson1_1 shapes the SDK parses: DescribeInstanceInformation (filters and paging honoured),
// GetConnectionStatus and GetServiceSetting for DHMC. Everything here is pure.

export const DHMC_SETTING = "/ssm/managed-instance/default-ec2-instance-management-role";

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

const error = (type: string, message: string, status = 400): JsonAnswer => ({ status, body: { __type: type, message } });

interface Filter {
  key: string;
  values: string[];
}

/** Both filter lists of the request: InstanceInformationFilterList (key/valueSet) and Filters (Key/Values). */
function filtersOf(request: Record<string, unknown>): Filter[] | JsonAnswer {
  const legacy = (request.InstanceInformationFilterList ?? []) as { key?: string; valueSet?: string[] }[];
  const modern = (request.Filters ?? []) as { Key?: string; Values?: string[] }[];
  const filters = [
    ...legacy.map((f) => ({ key: f.key ?? "", values: f.valueSet ?? [] })),
    ...modern.map((f) => ({ key: f.Key ?? "", values: f.Values ?? [] })),
  ];
  for (const filter of filters) {
    if (!FILTERS[filter.key] && !filter.key.startsWith("tag:")) {
      return error(
        "InvalidFilterKey",
        `The filter key ${filter.key} is not valid; use one of ${Object.keys(FILTERS).join(", ")} or tag:<key>.`,
      );
    }
    if (filter.values.length === 0)
      return error("InvalidInstanceInformationFilterValue", `The filter ${filter.key} needs at least one value.`);
  }
  return filters;
}

type Item = ReturnType<typeof information>;

const FILTERS: Record<string, (item: Item, view: AgentView, value: string) => boolean> = {
  InstanceIds: (item, _view, value) => item.InstanceId === value,
  AgentVersion: (item, _view, value) => item.AgentVersion === value,
  PingStatus: (item, _view, value) => item.PingStatus === value,
  PlatformTypes: (item, _view, value) => item.PlatformType === value,
  ResourceType: (item, _view, value) => item.ResourceType === value,
  "tag-key": (_item, view, value) => value in view.instance.tags,
};

/** One InstanceInformation, as SSM describes an EC2 instance whose agent has registered. */
function information(view: AgentView) {
  const { instance } = view;
  return {
    InstanceId: instance.instanceId,
    PingStatus: view.online ? "Online" : "ConnectionLost",
    LastPingDateTime: view.lastPingAt ? view.lastPingAt.getTime() / 1000 : undefined,
    AgentVersion: instance.agent.version,
    IsLatestVersion: false,
    PlatformType: "Linux",
    PlatformName: "Amazon Linux",
    PlatformVersion: "2023",
    ResourceType: "EC2Instance",
    IPAddress: instance.privateIp,
    ComputerName: instance.privateIp ? `ip-${instance.privateIp.replaceAll(".", "-")}.ec2.internal` : undefined,
    SourceId: instance.instanceId,
    SourceType: "AWS::EC2::Instance",
  };
}

function matches(filter: Filter, item: Item, view: AgentView): boolean {
  if (filter.key.startsWith("tag:")) return filter.values.includes(view.instance.tags[filter.key.slice(4)] ?? "\u0000");
  return filter.values.some((value) => FILTERS[filter.key](item, view, value));
}

export function describeInstanceInformation(request: Record<string, unknown>, views: AgentView[]): JsonAnswer {
  const filters = filtersOf(request);
  if (!Array.isArray(filters)) return filters;
  const maxResults = request.MaxResults === undefined ? 50 : Number(request.MaxResults);
  if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 50) {
    return error("ValidationException", "MaxResults must be an integer from 5 to 50.");
  }
  const start = request.NextToken === undefined ? 0 : Number(Buffer.from(String(request.NextToken), "base64url").toString("utf8"));
  if (!Number.isInteger(start) || start < 0) return error("InvalidNextToken", "The NextToken is not one this service gave out.");
  const items = views
    .filter((view) => view.registered)
    .map((view) => ({ view, item: information(view) }))
    .filter(({ view, item }) => filters.every((filter) => matches(filter, item, view)))
    .sort((a, b) => a.item.InstanceId.localeCompare(b.item.InstanceId))
    .map(({ item }) => item);
  const page = items.slice(start, start + maxResults);
  const next = start + maxResults < items.length ? Buffer.from(String(start + maxResults)).toString("base64url") : undefined;
  return { status: 200, body: { InstanceInformationList: page, ...(next ? { NextToken: next } : {}) } };
}

export function getConnectionStatus(request: Record<string, unknown>, views: AgentView[]): JsonAnswer {
  const target = request.Target;
  if (typeof target !== "string" || target.length === 0) return error("ValidationException", "Target is required: an instance id.");
  const view = views.find((v) => v.instance.instanceId === target);
  return { status: 200, body: { Target: target, Status: view?.online ? "connected" : "notconnected" } };
}

/** DHMC's setting, by id or ARN; undefined for the other settings (moto is asked about those). */
export function getServiceSetting(
  request: Record<string, unknown>,
  context: { region: string; accountId: string; dhmcRole?: string },
): JsonAnswer | undefined {
  const id = String(request.SettingId ?? "");
  if (id !== DHMC_SETTING && !id.endsWith(`:servicesetting${DHMC_SETTING}`)) return undefined;
  return {
    status: 200,
    body: {
      ServiceSetting: {
        SettingId: DHMC_SETTING,
        SettingValue: context.dhmcRole ?? "$None",
        LastModifiedDate: 0,
        LastModifiedUser: "System",
        ARN: `arn:aws:ssm:${context.region}:${context.accountId}:servicesetting${DHMC_SETTING}`,
        Status: context.dhmcRole ? "Customized" : "Default",
      },
    },
  };
}
