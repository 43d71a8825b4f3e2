// Invokes one Lambda bundle's handler once, in a fresh process, with the event given as JSON in
// argv[3], and prints the handler's answer: proof that the bundle as packaged really runs.
import { pathToFileURL } from "node:url";

const { handler } = await import(pathToFileURL(process.argv[2]).href);
const context = {
  functionName: "bench",
  awsRequestId: "bench",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench",
  getRemainingTimeInMillis: () => 29_000,
};
process.stdout.write(JSON.stringify(await handler(JSON.parse(process.argv[3]), context)));
