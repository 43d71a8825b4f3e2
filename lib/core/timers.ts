import { REGION, VPC_ID } from "./ids.js";
import * as z from "./zod.js";

/** What a schedule hands to its target: enough to find the session, nothing to trust blindly. */
export interface TimerInput {
  action: "expire" | "warn";
  sessionId: string;
  region: string;
  stackName: string;
}

export type TimerKind = TimerInput["action"];

// Built on first use (z.lazy), not in the cold start.
const TimerInputSchema = z.lazy(() =>
  z.object({
    action: z._default(z.enum(["expire", "warn"]), "expire"),
    sessionId: z.string().check(z.regex(VPC_ID)),
    region: z.string().check(z.regex(REGION)),
    stackName: z.string().check(z.maxLength(128)),
  }),
);

/** A schedule's input, checked: a malformed one is a bug worth failing loudly (it goes to the DLQ). */
export function parseTimerInput(event: unknown): TimerInput {
  const result = TimerInputSchema.safeParse(event);
  if (!result.success) throw new Error(`Not an ssm-knock timer event: ${result.error.issues[0]?.message}`);
  return result.data;
}
