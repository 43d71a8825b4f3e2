import { defineConfig } from "vitest/config";

const env = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "SILENT",
};

export default defineConfig({
  test: {
    // Runs once per run, before any project's tests: the AWS call records start empty.
    globalSetup: ["test/support/call-log-global.ts"],
    // `vitest run --coverage` (npm test) gates on lib/: every module counts, none is excluded. The
    // end-to-end suites run local mode and the CLI as child processes, whose lines are not seen here.
    coverage: {
      provider: "v8",
      include: ["lib/**/*.ts"],
      reporter: ["text-summary", "json-summary", "html"],
      reportsDirectory: "coverage",
      thresholds: { lines: 90, branches: 85 },
    },
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/build/**/*.test.ts"], env } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: ["test/integration/readiness/**"],
          env,
          // One moto server for the suite, started and stopped by PID; reset between tests.
          globalSetup: ["test/support/moto-global.ts"],
          setupFiles: ["test/support/moto-env.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "readiness",
          include: ["test/integration/readiness/**/*.test.ts"],
          env,
          // Its own moto, with AWS managed policies loaded (slow to reset): only these tests need them.
          globalSetup: ["test/support/moto-global-iam.ts"],
          setupFiles: ["test/support/moto-env.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          env,
          // The CLI's tests run its bundle, built from the sources once per run.
          globalSetup: ["test/support/cli-build.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
