import type { TestProject } from "vitest/node";
import { type MotoServer, startMoto } from "../../local/moto.js";

let moto: MotoServer | undefined;

export async function setup(project: TestProject) {
  // AWS managed policies (AmazonSSMManagedInstanceCore) for the readiness checks' role reads.
  moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
  project.provide("motoEndpoint", moto.endpoint);
}

export async function teardown() {
  await moto?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
