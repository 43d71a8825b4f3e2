import { ApiClient } from "./api-client.js";
import { type Command, parseCommandLine } from "./args.js";
import { runManageCommand } from "./commands.js";
import { runSessionCommand } from "./connect.js";
import type { CliContext, CliIo } from "./context.js";
import { ApiError, CliError, EXIT, UsageError } from "./errors.js";
import { resolveSettings } from "./settings.js";
import { authenticator } from "./signing.js";
import { ec2Directory, type InstanceDirectory } from "./targets.js";
import { usage } from "./usage.js";

/** How a failure is told: the message, the API's code and field, the fix; and the exit status. */
export function report(error: unknown, stderr: CliIo["stderr"]): number {
  if (error instanceof UsageError) {
    stderr.write(`ssm-knock: ${error.message}\n\n${usage(error.command)}\n`);
    return EXIT.usage;
  }
  if (error instanceof ApiError) {
    const about = [error.code, error.field ? `field ${error.field}` : ""].filter(Boolean).join(", ");
    stderr.write(`ssm-knock: ${error.message} (${about})\n${error.fix ? `  fix: ${error.fix}\n` : ""}`);
    return EXIT.failure;
  }
  if (error instanceof CliError) {
    stderr.write(`ssm-knock: ${error.message}\n`);
    return error.exitCode;
  }
  stderr.write(`ssm-knock: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failure;
}

function run(context: CliContext, command: Exclude<Command, { name: "help" }>): Promise<number> {
  return command.name === "connect" || command.name === "proxy" ? runSessionCommand(context, command) : runManageCommand(context, command);
}

/**
 * The whole CLI: parses `args`, resolves the settings and the credentials, runs the command, and
 * turns every failure into a message on stderr and an exit status (never a stack trace, unless
 * the failure was unexpected).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function main(args: string[], io: CliIo): Promise<number> {
  try {
    const { command, globals } = parseCommandLine(args);
    if (command.name === "help") {
      io.stdout.write(`${usage(command.topic)}\n`);
      return 0;
    }
    const settings = await resolveSettings(globals, io.env);
    // Local mode needs no instance role; without this the credential chain would first wait for
    // the instance metadata service, which on a laptop is a timeout.
    if (settings.local) io.env.AWS_EC2_METADATA_DISABLED ??= "true";
    let directory: InstanceDirectory | undefined;
    const context: CliContext = {
      settings,
      api: new ApiClient(settings.api, await authenticator(settings)),
      directory: () => {
        directory ??= ec2Directory(settings, io.env);
        return directory;
      },
      io,
    };
    return await run(context, command);
  } catch (error) {
    return report(error, io.stderr);
  }
}
