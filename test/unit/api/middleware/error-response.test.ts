import middy from "@middy/core";
import { describe, expect, it, vi } from "vitest";
import { errorResponse } from "../../../../lib/api/middleware/error-response.js";
import { PreconditionError } from "../../../../lib/core/errors.js";
import { lambdaContext } from "../../../support/events.js";

const logger = { error: vi.fn() };
const failWith = (error: Error) =>
  middy()
    .use(errorResponse(() => logger as never))
    .handler(async () => {
      throw error;
    });

describe("errorResponse", () => {
  it("shapes a typed error as the API's JSON error with its status, code and field", async () => {
    const response = await failWith(new PreconditionError("vpc_dns_disabled", "turn DNS on", "vpcId"))({}, lambdaContext);
    expect(response).toMatchObject({ statusCode: 422, headers: { "content-type": "application/json" } });
    expect(JSON.parse(response.body)).toEqual({ error: { code: "vpc_dns_disabled", message: "turn DNS on", field: "vpcId" } });
  });

  it("hides an unexpected error's message and stack behind a 500, and logs it", async () => {
    const response = await failWith(new Error("secret detail at /var/task/x.js:1"))({}, lambdaContext);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret detail");
    expect(JSON.parse(response.body).error.code).toBe("internal_error");
    expect(logger.error).toHaveBeenCalled();
  });
});
