// `npm run bench`: measures ssm-knock against a naive build and checks the performance budgets.
// The service's JSON logs would drown the table; they are silenced before any module makes its
// logger, which is why the bench proper is imported only after this line.
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
await import("./run.js");

export {};
