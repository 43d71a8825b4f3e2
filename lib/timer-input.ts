import { z } from "zod";
import { REGION, VPC_ID } from "./ids.js";
import type { TimerInput } from "./schedules.js";

const TimerInputSchema = z.object({
  action: z.enum(["expire", "warn"]).default("expire"),
  sessionId: z.string().regex(VPC_ID),
  region: z.string().regex(REGION),
  stackName: z.string().max(128),
});

/** A schedule's input, checked: a malformed one is a bug worth failing loudly (it goes to the DLQ). */
export function parseTimerInput(event: unknown): TimerInput {
  const result = TimerInputSchema.safeParse(event);
  if (!result.success) throw new Error(`Not an ssm-knock timer event: ${result.error.issues[0]?.message}`);
  return result.data;
}
