import { readFileSync } from "node:fs";

let body: string | undefined;

/**
 * The endpoint stack's template, sent as TemplateBody. It is read on first use from
 * `template/endpoints.yaml`: from `lib/` in the source tree and from `functions/` in a Lambda
 * bundle (serverless.yml packages the file beside the bundle), `../template/` is the same place.
 */
export function endpointTemplateBody(): string {
  body ??= readFileSync(new URL("../template/endpoints.yaml", import.meta.url), "utf8");
  return body;
}
