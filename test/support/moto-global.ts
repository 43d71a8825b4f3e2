import type { TestProject } from "vitest/node";
import { type MotoServer, startMoto } from "../../local/moto.js";

let moto: MotoServer | undefined;

export async function setup(project: TestProject) {
  moto = await startMoto();
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
