/**
 * Typed errors of the domain. Each carries the HTTP status and the stable `code` of the API
 * contract, so the HTTP edge can shape any of them into `{"error": {code, message, field}}`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends AppError {
  constructor(message: string, field?: string) {
    super(400, "invalid_request", message, field);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, "unsupported_media_type", message, "content-type");
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, "payload_too_large", `The body is larger than ${limitBytes} bytes; send a smaller JSON object.`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, field?: string) {
    super(403, "forbidden", message, field);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, field?: string) {
    super(404, "not_found", message, field);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = "conflict", details?: Record<string, unknown>) {
    super(409, code, message, undefined, details);
  }
}

/** A request that is well formed but whose target is not in a state ssm-knock can work with. */
export class PreconditionError extends AppError {
  constructor(code: string, message: string, field?: string, details?: Record<string, unknown>) {
    super(422, code, message, field, details);
  }
}

/** AWS refused or failed a step ssm-knock needed; nothing the caller can fix by changing the request. */
export class UpstreamError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(502, code, message, undefined, details);
  }
}
