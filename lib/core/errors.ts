/**
 * Typed errors of the domain. Each carries the HTTP status and the stable `code` of the API
 * contract, renders its public shape with `toJSON()` (the HTTP edge, Slack and the CLI all show
 * that), and keeps the error it wraps as `cause` (ErrorOptions), so logs show what AWS said.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** The API's error object: `{code, message, field?, ...details}`; never the cause or a stack. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...(this.details ?? {}) };
  }
}

/** What every edge says when something that is not an AppError failed: nothing internal leaks. */
export const UNEXPECTED_FAILURE =
  "ssm-knock failed unexpectedly; the error is logged. Try again in a minute, or ask an admin to check the logs.";

/** Thrown when a request is malformed: the field and the fix are in the message. */
export class InvalidRequestError extends AppError {
  constructor(message: string, field?: string, options?: ErrorOptions) {
    super(400, "invalid_request", message, field, undefined, options);
  }
}

/** Thrown when a body is not JSON (415). */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, "unsupported_media_type", message, "content-type");
  }
}

/** Thrown when a body is over the route's limit (413). */
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, "payload_too_large", `The body is larger than ${limitBytes} bytes; send a smaller JSON object.`);
  }
}

/** Thrown when a request does not prove who sent it (401). */
export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super(401, "unauthorized", message);
  }
}

/** Thrown when the deployment's policy does not allow what was asked (403). */
export class ForbiddenError extends AppError {
  constructor(message: string, field?: string) {
    super(403, "forbidden", message, field);
  }
}

/** Thrown when the session, instance or VPC named does not exist (404). */
export class NotFoundError extends AppError {
  constructor(message: string, field?: string, options?: ErrorOptions) {
    super(404, "not_found", message, field, undefined, options);
  }
}

/** Thrown when the session is in a state that refuses the request right now (409). */
export class ConflictError extends AppError {
  constructor(message: string, code = "conflict", details?: Record<string, unknown>, options?: ErrorOptions) {
    super(409, code, message, undefined, details, options);
  }
}

/** A request that is well formed but whose target is not in a state ssm-knock can work with (422). */
export class PreconditionError extends AppError {
  constructor(code: string, message: string, field?: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(422, code, message, field, details, options);
  }
}

/** AWS refused or failed a step ssm-knock needed; nothing the caller can fix by changing the request (502). */
export class UpstreamError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(502, code, message, undefined, details, options);
  }
}
