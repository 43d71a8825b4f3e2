import type { IamRequest } from "./simulate.js";

/** A request one of the deployment's roles must be refused (or allowed), and why that matters. */
export interface Case {
  role: string;
  why: string;
  request: IamRequest;
}

/** Cases for one role, one line each, so that a corpus reads as a table of what and why. */
export const casesOf =
  (role: string) =>
  (why: string, action: string, resource: string, context?: IamRequest["context"]): Case => ({
    role,
    why,
    request: context ? { action, resource, context } : { action, resource },
  });

/** One case for each of `roles`: the same request, refused (or allowed) to all of them alike. */
export const forEachRole = (roles: readonly string[], why: string, action: string, resource: string, context?: IamRequest["context"]) =>
  roles.map((role) => casesOf(role)(why, action, resource, context));
