import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Plugin } from "esbuild";

export interface Bundle {
  /** The function's name in serverless.yml, or "open (naive)". */
  name: string;
  /** The bundle's entry file on disk (extracted from the function's package). */
  file: string;
  bytes: number;
  gzipBytes: number;
  naive: boolean;
}

interface ServerlessState {
  service: {
    custom: { esbuild: Record<string, unknown> };
    functions: Record<string, { handler: string; memorySize?: number }>;
    provider: { environment?: Record<string, unknown>; memorySize?: number };
  };
}

const sizes = (file: string) => {
  const text = readFileSync(file);
  return { bytes: statSync(file).size, gzipBytes: gzipSync(text).length };
};

/** Reads what `npm run package` (osls + serverless-esbuild, offline) resolved from serverless.yml. */
export function serverlessState(root: string): ServerlessState {
  return JSON.parse(readFileSync(join(root, ".serverless/serverless-state.json"), "utf8")) as ServerlessState;
}

/**
 * The real build: runs `npm run package` exactly as a deployment would and extracts every
 * function's zip, so the figures are those of the artifacts Lambda would receive.
 */
export function packageFunctions(root: string, workDir: string): Bundle[] {
  execFileSync("npm", ["run", "package", "--silent"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    // Offline, no AWS account: the package script supplies placeholder credentials.
    env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" },
  });
  const state = serverlessState(root);
  return Object.entries(state.service.functions).map(([name, fn]) => {
    const dir = join(workDir, name);
    mkdirSync(dir, { recursive: true });
    execFileSync("unzip", ["-q", "-o", join(root, `.serverless/${name}.zip`), "-d", dir]);
    const file = join(dir, `${fn.handler.slice(0, fn.handler.lastIndexOf("."))}.mjs`);
    return { name, file, ...sizes(file), naive: false };
  });
}

/**
 * Builds an entry with serverless.yml's own esbuild options (as serverless-esbuild passes them),
 * or, for the naive anchor, without the two choices this project made for size: ESM-first
 * `mainFields` and the plugins. Same minifier, target, format and banner either way.
 */
export async function buildLikeTheService(root: string, entry: string, outdir: string, options: { naive: boolean }): Promise<string> {
  const {
    mainFields,
    plugins,
    outputFileExtension,
    exclude: _exclude,
    packager: _packager,
    ...common
  } = serverlessState(root).service.custom.esbuild as Record<string, unknown>;
  const require = createRequire(import.meta.url);
  const extension = String(outputFileExtension ?? ".js");
  await build({
    ...(common as BuildOptions),
    ...(options.naive
      ? {}
      : {
          mainFields: mainFields as string[],
          plugins: typeof plugins === "string" ? (require(join(root, plugins)) as Plugin[]) : (plugins as Plugin[] | undefined),
        }),
    entryPoints: [entry],
    outdir,
    outExtension: { ".js": extension },
    logLevel: "error",
  });
  const name = entry.slice(entry.lastIndexOf("/") + 1).replace(/\.[cm]?[jt]s$/, "");
  return join(outdir, `${name}${extension}`);
}

/** The anchor: the open function from an entry that imports every client eagerly, built naively. */
export async function buildNaiveOpen(root: string, workDir: string): Promise<Bundle> {
  const file = await buildLikeTheService(root, join(root, "bench/naive/open.ts"), join(workDir, "open-naive", "functions"), {
    naive: true,
  });
  return { name: "open (naive)", file, ...sizes(file), naive: true };
}
