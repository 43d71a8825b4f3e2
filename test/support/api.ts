import { createHandler as closeHandler } from "../../functions/close.js";
import { createHandler as expireHandler } from "../../functions/expire.js";
import { createHandler as extendHandler } from "../../functions/extend.js";
import { createHandler as getHandler } from "../../functions/get.js";
import { createHandler as listHandler } from "../../functions/list.js";
import { createHandler as openHandler } from "../../functions/open.js";
import { createHandler as sweepHandler } from "../../functions/sweep.js";
import type { Deps } from "../../lib/runtime/deps.js";
import type { SweepSummary } from "../../lib/sweep/sweep.js";
import { attributed } from "../../local/aws-call-log.js";
import { apiEvent, CALLER, lambdaContext } from "./events.js";

/** A parsed JSON reply; tests read it field by field, so its body is loosely typed on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = Record<string, any>;

export interface Reply {
  status: number;
  body: Json;
}

const reply = (response: { statusCode?: number; body?: string }): Reply => ({
  status: response.statusCode ?? 0,
  body: JSON.parse(response.body ?? "{}"),
});

/** Calls the real handlers with API Gateway v2 events, as a client of the HTTP API would (each as its function). */
export function api(deps: Deps, caller = CALLER) {
  const d = () => deps;
  const handlers = {
    open: attributed("open", openHandler(d)),
    list: attributed("list", listHandler(d)),
    get: attributed("get", getHandler(d)),
    extend: attributed("extend", extendHandler(d)),
    close: attributed("close", closeHandler(d)),
    expire: attributed("expire", expireHandler(d)),
    sweep: attributed("sweep", sweepHandler(d)),
  };
  return {
    open: async (body: unknown, as = caller) =>
      reply(await handlers.open(apiEvent("POST", "/sessions", body, { caller: as }), lambdaContext)),
    list: async () => reply(await handlers.list(apiEvent("GET", "/sessions", undefined, { caller }), lambdaContext)),
    get: async (id: string) =>
      reply(await handlers.get(apiEvent("GET", `/sessions/${id}`, undefined, { caller, pathParameters: { id } }), lambdaContext)),
    extend: async (id: string, body: unknown, as = caller) =>
      reply(await handlers.extend(apiEvent("POST", `/sessions/${id}/extend`, body, { caller: as, pathParameters: { id } }), lambdaContext)),
    close: async (id: string, as = caller) =>
      reply(await handlers.close(apiEvent("DELETE", `/sessions/${id}`, undefined, { caller: as, pathParameters: { id } }), lambdaContext)),
    expire: (input: unknown) => handlers.expire(input, lambdaContext),
    sweep: (): Promise<SweepSummary> => handlers.sweep({}, lambdaContext),
  };
}
