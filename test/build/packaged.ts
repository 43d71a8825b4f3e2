import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** CloudFormation JSON of any shape, which the build tests read by path. */
// biome-ignore lint/suspicious/noExplicitAny: the template is untyped JSON; each test checks the paths it reads
export type Json = any;

export interface Resource {
  Type: string;
  Properties: Record<string, Json>;
}

export interface Template {
  Resources: Record<string, Resource>;
}

const OUTPUT = ".serverless/cloudformation-template-update-stack.json";
const LOCK = ".serverless.lock";
/** Everything `npm run package` reads: when none is newer than the output, the output is current. */
const INPUTS = ["serverless.yml", "package.json", "package-lock.json", "resources", "template", "lib", "functions"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const current = () => existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs > Math.max(...INPUTS.filter(existsSync).map(newestMtime));

/**
 * Several build tests read the package; vitest runs their files in parallel workers, and two
 * `osls package` runs into one .serverless/ directory would clobber each other. So packaging
 * happens under a lock directory (mkdir is atomic), and only when an input changed since.
 */
async function underLock<T>(task: () => T): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock older than any packaging run is left over from a killed run.
      if (Date.now() - statSync(LOCK).mtimeMs > 10 * 60_000) rmdirSync(LOCK);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return task();
  } finally {
    rmdirSync(LOCK);
  }
}

/** The packaged CloudFormation template, built offline with no AWS account if it is not current. */
export async function packagedTemplate(): Promise<Template> {
  await underLock(() => {
    if (current()) return;
    // The package script supplies placeholder credentials.
    execFileSync("npm", ["run", "package", "--silent"], {
      encoding: "utf8",
      env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" },
    });
  });
  return JSON.parse(readFileSync(OUTPUT, "utf8"));
}
