// esbuild plugins for the Lambda bundles (serverless.yml: custom.esbuild.plugins).
const { readFile } = require("node:fs/promises");

/**
 * The AWS SDK's generated schema modules (one per client, e.g. 550 KB of EC2 shapes) key their
 * members with computed properties, `{ [_xN]: _TSa }`, where `_xN` is a module-level string
 * constant. esbuild cannot prove such keys free of side effects, so it keeps every shape of the
 * service, used or not. Writing the constant's literal value into the key (`{ ["xmlName"]: … }`)
 * changes nothing at run time and lets esbuild drop the shapes no imported command reaches.
 */
function inlineSchemaKeys(source) {
  const constants = new Map();
  for (const match of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(match[1], match[2]);
  return source.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before, name) =>
    constants.has(name) ? `${before}[${constants.get(name)}]:` : whole,
  );
}

/**
 * The same modules register every modeled error of the service at load time (`n0_registry.
 * registerError(X$, X)`: 140 classes for SSM, 56 for Lambda, 120 KB of open's bundle), and those
 * calls keep every class alive; the init budgets do not hold with them (docs/decisions.md).
 * Without its registration an error still arrives, as the client's base exception (which stays
 * registered) with `name` set to the service's error code, its message, `$fault` and
 * `$metadata`; retries decide by name and status, so they are unchanged. What is lost is
 * `instanceof` against the modeled class, which is why lib/ tells AWS errors apart by name
 * (lib/aws/errors.ts, enforced by biome.json) and why the classes a dependency tests with
 * `instanceof` are kept here.
 */
const ERRORS_CHECKED_WITH_INSTANCEOF = new Set([
  // @aws-lambda-powertools/parameters (SSMProvider#_get with throwOnMissing).
  "ParameterNotFound",
]);
function registerOnlyBaseErrors(source) {
  return source.replace(/^(\w+)_registry\.registerError\((\w+)\$, (\w+)\);$/gm, (whole, registry, _schema, name) =>
    registry === "_s" || ERRORS_CHECKED_WITH_INSTANCEOF.has(name) ? whole : "",
  );
}

const trimSdkSchemas = {
  name: "trim-aws-sdk-schemas",
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      return { contents: registerOnlyBaseErrors(inlineSchemaKeys(source)), loader: "js" };
    });
  },
};

/**
 * Modules the SDK loads with dynamic import() only on paths a Lambda of this service never takes;
 * esbuild would otherwise inline them, and every cold start would parse them.
 * - The default credential chain tries the environment first, which is where Lambda puts the
 *   function's credentials; SSO, shared config, credential_process, web identity, container and
 *   instance-metadata credentials come after it (about 100 KB with their STS, SSO and sign-in
 *   clients).
 * - Event-stream serialisation, which no operation of CloudFormation, EC2, Scheduler or SSM has.
 * They stay imports of packages that are not in the bundle: reaching one anyway fails naming it.
 */
const UNREACHABLE_IN_LAMBDA = new RegExp(
  [
    "^@aws-sdk/credential-provider-(?:sso|ini|process|web-identity|http)$",
    "^@smithy/credential-provider-imds$",
    "^@smithy/core/event-streams$",
  ].join("|"),
);
const leaveOutUnreachable = {
  name: "leave-out-unreachable-dynamic-imports",
  setup(build) {
    build.onResolve({ filter: UNREACHABLE_IN_LAMBDA }, (args) =>
      args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined,
    );
  },
};

module.exports = [trimSdkSchemas, leaveOutUnreachable];
