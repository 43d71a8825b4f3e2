// `npm run mutate`: mutation testing of the pure modules against the unit tests, not part of
// `npm test` or CI (it takes a while on two cores). The run fails when the mutation score drops
// below 80 (thresholds.break). Incremental: a run re-tests only the mutants whose code or tests
// changed since the last one (.stryker/incremental.json, git-ignored; delete it, or pass
// --force, for a full run).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  mutate: [
    "lib/sessions/open-plan.ts",
    "lib/sessions/open-needs.ts",
    "lib/sessions/direct-route.ts",
    "lib/sessions/policy.ts",
    "lib/sessions/ttl.ts",
    "lib/sessions/shape.ts",
    "lib/sweep/plan.ts",
    "lib/core/duration.ts",
    "lib/core/time.ts",
    "lib/core/agent-version.ts",
    "lib/cost/*.ts",
    "lib/slack/commands.ts",
    "lib/slack/signature.ts",
    "lib/notify/webhook-signature.ts",
    "lib/readiness/backoff.ts",
    "lib/readiness/watch-plan.ts",
    "lib/readiness/checks.ts",
    "lib/readiness/network.ts",
    "lib/readiness/path-checks.ts",
  ],
  testRunner: "vitest",
  vitest: {
    configFile: "vitest.mutate.config.ts",
    related: true,
  },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: {
    prioritizePerformanceOverAccuracy: true,
  },
  coverageAnalysis: "perTest",
  concurrency: 2,
  incremental: true,
  incrementalFile: ".stryker/incremental.json",
  thresholds: {
    high: 90,
    low: 80,
    break: 80,
  },
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: {
    fileName: ".stryker/report.html",
  },
  jsonReporter: {
    fileName: ".stryker/report.json",
  },
  tempDirName: ".stryker/tmp",
  cleanTempDir: "always",
  timeoutMS: 10000,
};
