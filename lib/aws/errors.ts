/**
 * AWS errors are told apart by name, never by `instanceof` against the SDK's error classes: the
 * Lambda bundles register only each client's base exception (esbuild-plugins.cjs), so a service
 * error arrives as that base class with `name` set to the service's error code. The name is also
 * what every protocol puts on the wire, so this holds for modeled and unmodeled errors alike.
 */
export const awsErrorName = (error: unknown): string => {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : "";
};

export const isAwsError = (error: unknown, name: string): boolean => awsErrorName(error) === name;
