import { AppError } from "../../lib/core/errors.js";

/** The AppError `run` throws, as its status, code, field, message and details; undefined when it returns. */
export function thrownAppError(run: () => unknown) {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, code: error.code, field: error.field, message: error.message, details: error.details };
  }
}
