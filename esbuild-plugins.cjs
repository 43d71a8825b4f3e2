// esbuild plugins for the Lambda bundles (serverless.yml: custom.esbuild.plugins).
const { readFile } = require("node:fs/promises");

/**
 * The AWS SDK's generated schema modules (one per client, e.g. 550 KB of EC2 shapes) key their
 * members with computed properties, `{ [_xN]: _TSa }`, where `_xN` is a module-level string
 * constant. esbuild cannot prove such keys free of side effects, so it keeps every shape of the
 * service, used or not. Writing the constant's literal value into the key (`{ ["xmlName"]: … }`)
 * changes nothing at run time and lets esbuild drop the shapes no imported command reaches.
 */
const inlineSchemaKeys = {
  name: "inline-aws-sdk-schema-keys",
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const constants = new Map();
      for (const match of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(match[1], match[2]);
      const contents = source.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before, name) =>
        constants.has(name) ? `${before}[${constants.get(name)}]:` : whole,
      );
      return { contents, loader: "js" };
    });
  },
};

/**
 * The SDK's default credential chain tries the environment first, which is where Lambda puts the
 * function's credentials, and reaches SSO, shared-config, credential_process and web-identity
 * only when those are absent. It loads those providers with dynamic import(), which esbuild
 * would otherwise inline: about 90 KB (their STS, SSO and sign-in clients) that every cold start
 * parses and no Lambda invocation runs. They stay imports of packages that are not in the
 * bundle (a function somehow run without environment credentials fails naming the package);
 * container and instance-metadata credentials stay bundled.
 */
const LAZY_PROVIDERS = /^@aws-sdk\/credential-provider-(?:sso|ini|process|web-identity)$/;
const lambdaCredentialChain = {
  name: "lambda-credential-chain",
  setup(build) {
    build.onResolve({ filter: LAZY_PROVIDERS }, (args) =>
      args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined,
    );
  },
};

module.exports = [inlineSchemaKeys, lambdaCredentialChain];
