import { arn } from "./arns.js";
import type { Case } from "./deny-corpus.js";

const PREFERENCES = arn.document("SSM-SessionManagerRunShell");
const NOT_OPENING = ["JanitorRole", "NotifyRole", "SlackRole", "ReadinessRole"];

/**
 * The open's cost reads (issue 16) stay the open's: only the API role (open, slack worker) reads
 * the Session Manager preferences and prices, and of SSM documents only the preferences (another
 * document may hold a runbook's secrets or commands).
 */
export const costReads: Case[] = [
  ...["AWS-StartSSHSession", "payments-runbook", "SSM-SessionManagerRunShell-copy"].map((name) => ({
    role: "ApiRole",
    why: `reads the document ${name}, not the preferences`,
    request: { action: "ssm:GetDocument", resource: arn.document(name) },
  })),
  ...NOT_OPENING.flatMap((role) => [
    {
      role,
      why: "reads the Session Manager preferences (only the open does)",
      request: { action: "ssm:GetDocument", resource: PREFERENCES },
    },
    { role, why: "reads prices (only the open does)", request: { action: "pricing:GetProducts", resource: "*" } },
  ]),
];
