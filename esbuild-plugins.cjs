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

module.exports = [inlineSchemaKeys];
