import { afterAll, afterEach, beforeEach, inject } from "vitest";
import { type FaultProxy, startFaultProxy } from "./throttle-proxy.js";

/**
 * The fault proxy in front of moto for one test file (the suites that fault AWS share its life):
 * started once, cleared of faults before each test, the SDK pointed back at moto after each.
 */
export async function faultProxyForFile(): Promise<FaultProxy> {
  const proxy = await startFaultProxy(inject("motoEndpoint"));
  beforeEach(() => proxy.clear());
  afterEach(() => {
    process.env.AWS_ENDPOINT_URL = inject("motoEndpoint");
  });
  afterAll(() => proxy.stop());
  return proxy;
}
