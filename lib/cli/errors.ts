/** Exit codes: 1 for every failure, 2 for a command line that cannot run, 130 after Ctrl-C (128 + SIGINT). */
export const EXIT = { failure: 1, usage: 2, interrupted: 130 } as const;

/** Thrown when the command line is malformed: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to print; the general usage when absent. */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Thrown when something the CLI needs is missing or refused (no credentials, no `aws` on PATH,
 * an ambiguous Name tag, a wait that timed out): the message says what to do; exit 1.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "CliError";
  }
}

/** The API's error object (`{"error": {"code", "message", "field"?, ...}}`), or what stood in its place. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Thrown when Ctrl-C (or SIGTERM, SIGHUP) ended a wait. */
export class InterruptedError extends CliError {
  constructor(signal: string) {
    super(`${signal}: stopped waiting.`, EXIT.interrupted);
    this.name = "InterruptedError";
  }
}
