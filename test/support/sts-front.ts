import { createServer, request as forward } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * STS before moto, on 127.0.0.1, for AWS_ENDPOINT_URL_STS: moto lets anyone assume any role
 * (even one that does not exist), so this answers AssumeRole of the `denied` roles the way STS
 * refuses a missing role or a trust that does not admit the caller (403 AccessDenied), and passes
 * every other request to moto. The real SDK parses the real error.
 */
export interface StsFront {
  url: string;
  /** Role ARNs that cannot be assumed right now. */
  denied: Set<string>;
  /** AssumeRole requests refused so far, by role ARN. */
  refused: string[];
  stop(): Promise<void>;
}

export async function startStsFront(moto: string): Promise<StsFront> {
  const upstream = new URL(moto);
  const denied = new Set<string>();
  const refused: string[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const form = new URLSearchParams(body.toString("utf8"));
    const roleArn = form.get("RoleArn") ?? "";
    if (form.get("Action") === "AssumeRole" && denied.has(roleArn)) {
      refused.push(roleArn);
      const message = `User: arn:aws:sts::123456789012:assumed-role/ssm-knock-test/test is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
      response.writeHead(403, { "content-type": "text/xml" });
      response.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${message}</Message></Error><RequestId>sts-front</RequestId></ErrorResponse>`,
      );
      return;
    }
    const outbound = forward(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outbound.on("error", (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    outbound.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    denied,
    refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
