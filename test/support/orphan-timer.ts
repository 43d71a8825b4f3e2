import { upsertTimer } from "../../lib/aws/schedules.js";
import type { Config } from "../../lib/runtime/config.js";
import { inspector } from "./inspect.js";

/** The session of a timer whose stack is gone: what the sweeper must remove (seeded as setup, not recorded). */
export const ORPHAN_SESSION = "vpc-0000000000000dead";

/** Arms one of an orphan session's timers (expire or warn) at `at`, in moto. */
export const armOrphanTimer = (config: Config, at: Date, action: "expire" | "warn" = "expire") =>
  upsertTimer(
    inspector().scheduler,
    config,
    { action, sessionId: ORPHAN_SESSION, region: "us-east-1", stackName: `ssm-knock-${ORPHAN_SESSION}` },
    at,
  );
