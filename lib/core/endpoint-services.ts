/** The Session Manager endpoints every session needs (ec2messages only for agents before 3.3.40.0). */
export const CORE_SERVICES = ["ssm", "ssmmessages", "ec2messages"] as const;
/** Optional extras: an S3 Gateway endpoint (agent updates) and KMS/Logs Interface endpoints. */
export const EXTRA_SERVICES = ["s3", "kms", "logs"] as const;

export type CoreService = (typeof CORE_SERVICES)[number];
export type ExtraService = (typeof EXTRA_SERVICES)[number];
export type EndpointService = CoreService | ExtraService;

export const serviceName = (region: string, service: EndpointService) => `com.amazonaws.${region}.${service}`;

/** The short name of `com.amazonaws.<region>.<service>`, or undefined for other services. */
export function shortServiceName(region: string, fullName: string | undefined): EndpointService | undefined {
  const prefix = `com.amazonaws.${region}.`;
  if (!fullName?.startsWith(prefix)) return undefined;
  const short = fullName.slice(prefix.length);
  return [...CORE_SERVICES, ...EXTRA_SERVICES].find((service) => service === short);
}
