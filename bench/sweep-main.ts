// `npm run bench:sweep`: only the sweeper's rows of the bench (one big account, and an
// organization of accounts and regions), on a moto server of its own; writes
// bench/results/sweep.json. The service's logs are silenced before any module makes its logger.
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
await import("./sweep-run-main.js");

export {};
