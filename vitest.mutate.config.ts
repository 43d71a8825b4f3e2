import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant (`npm run mutate`, stryker.config.json): the unit
// tests only. The mutated modules are pure, their tests need no emulator, and a run stays within
// what two shared cores can do.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    // Instrumented for mutation, the property tests run several times slower than in npm test.
    testTimeout: 60_000,
    env: { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", POWERTOOLS_LOG_LEVEL: "SILENT" },
  },
});
