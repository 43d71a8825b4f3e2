/**
 * AWS errors are told apart by name, never by `instanceof` against the SDK's error classes: the
 * name is the service's error code, what every protocol puts on the wire, so this holds for
 * modeled and unmodeled errors alike (an error the SDK's model does not know arrives as the
 * client's base exception with that name), and across SDK versions.
 */
export const awsErrorName = (error: unknown): string => {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : "";
};

export const isAwsError = (error: unknown, name: string): boolean => awsErrorName(error) === name;
