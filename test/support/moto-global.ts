import type { TestProject } from "vitest/node";
import { type MotoServer, startMoto } from "../../local/moto.js";

/**
 * One moto server per project that needs one, started and stopped by PID, provided to the tests
 * as `motoEndpoint`. `env` sets its options (test/support/moto-global-iam.ts).
 */
export function motoForProject(env: Record<string, string> = {}) {
  let moto: MotoServer | undefined;
  return {
    setup: async (project: TestProject) => {
      moto = await startMoto({ env });
      project.provide("motoEndpoint", moto.endpoint);
    },
    teardown: async () => {
      await moto?.stop();
    },
  };
}

// The integration suite's moto: no AWS managed policies, so a reset between tests stays quick.
const plain = motoForProject();
export const setup = plain.setup;
export const teardown = plain.teardown;

declare module "vitest" {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
