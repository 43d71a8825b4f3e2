import { defineConfig } from "vitest/config";

// The IAM simulation of the AWS calls the suites recorded: a run of its own, after `vitest run`
// (npm test), because it reads what the integration and end-to-end suites wrote.
export default defineConfig({
  test: {
    name: "calls",
    include: ["test/calls/**/*.test.ts"],
    env: { AWS_REGION: "us-east-1", POWERTOOLS_LOG_LEVEL: "SILENT" },
    testTimeout: 120_000,
  },
});
