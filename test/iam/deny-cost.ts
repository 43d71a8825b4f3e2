import { arn } from "./arns.js";
import { type Case, casesOf } from "./case.js";

const PREFERENCES = arn.document("SSM-SessionManagerRunShell");
const NOT_OPENING = ["JanitorRole", "NotifyRole", "SlackRole", "ReadinessRole"];
const api = casesOf("ApiRole");

/**
 * The open's cost reads (issue 16) stay the open's: only the API role (open, slack worker) reads
 * the Session Manager preferences and prices, and of SSM documents only the preferences (another
 * document may hold a runbook's secrets or commands).
 */
export const costReads: Case[] = [
  ...["AWS-StartSSHSession", "payments-runbook", "SSM-SessionManagerRunShell-copy"].map((name) =>
    api(`reads the document ${name}, not the preferences`, "ssm:GetDocument", arn.document(name)),
  ),
  ...NOT_OPENING.flatMap((role) => [
    casesOf(role)("reads the Session Manager preferences (only the open does)", "ssm:GetDocument", PREFERENCES),
    casesOf(role)("reads prices (only the open does)", "pricing:GetProducts", "*"),
  ]),
];
