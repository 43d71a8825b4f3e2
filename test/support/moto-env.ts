import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { beforeEach, inject } from "vitest";
import { ensureGroup } from "../../lib/aws/schedules.js";
import { resetMoto } from "../../local/moto.js";

// Every AWS SDK client in the test process talks to the suite's moto server.
process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");

beforeEach(async () => {
  await resetMoto(inject("motoEndpoint"));
  // The deployment (serverless.yml) provides the schedule group; the reset wiped it.
  await ensureGroup(new SchedulerClient({ region: "us-east-1" }), "ssm-knock");
});
