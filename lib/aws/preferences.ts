import { GetDocumentCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { PREFERENCES_DOCUMENT, type SessionPreferences } from "../core/open-facts.js";
import { known, type Read, unknownRead } from "../core/readiness-facts.js";
import { isAwsError } from "./errors.js";
import { failure } from "./iam-facts.js";

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : undefined);

/** The inputs of the preferences document's content that need endpoints; undefined when it is not a Session document's JSON. */
export function preferencesOf(content: string | undefined): SessionPreferences | undefined {
  let parsed: { inputs?: Record<string, unknown> };
  try {
    parsed = JSON.parse(content ?? "");
  } catch {
    return undefined;
  }
  const inputs = parsed?.inputs;
  if (!inputs || typeof inputs !== "object") return undefined;
  return {
    cloudWatchLogGroupName: text(inputs.cloudWatchLogGroupName),
    cloudWatchStreamingEnabled: inputs.cloudWatchStreamingEnabled === true || inputs.cloudWatchStreamingEnabled === "true",
    kmsKeyId: text(inputs.kmsKeyId),
    s3BucketName: text(inputs.s3BucketName),
  };
}

/**
 * The account's Session Manager preferences in the session's region (the SSM-SessionManagerRunShell
 * Session document, asked for as JSON whatever format it was written in). No document means no
 * preferences: known(undefined). Never throws; a failed read is `unknown`.
 */
export async function readSessionPreferences(ssm: SSMClient): Promise<Read<SessionPreferences | undefined>> {
  try {
    const { Content } = await ssm.send(new GetDocumentCommand({ Name: PREFERENCES_DOCUMENT, DocumentFormat: "JSON" }));
    const preferences = preferencesOf(Content);
    return preferences ? known(preferences) : unknownRead(`${PREFERENCES_DOCUMENT} is not a Session document with inputs`);
  } catch (error) {
    if (isAwsError(error, "InvalidDocument")) return known(undefined);
    return unknownRead(failure(error));
  }
}
