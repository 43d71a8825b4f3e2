import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SSMClient } from "@aws-sdk/client-ssm";

/** The AWS clients of one region. The SDK reads AWS_ENDPOINT_URL itself, which is how the
 * same code talks to moto in tests and local mode. */
export interface RegionClients {
  region: string;
  ec2: EC2Client;
  cloudFormation: CloudFormationClient;
  scheduler: SchedulerClient;
  ssm: SSMClient;
}

export type ClientsForRegion = (region: string) => RegionClients;

/** Lazily creates and then reuses one set of clients per region (clients hold connection pools). */
export function regionalClients(): ClientsForRegion {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let clients = cache.get(region);
    if (!clients) {
      // Adaptive retries ride out throttling (the sweeper touches thousands of stacks).
      const options = { region, retryMode: "adaptive", maxAttempts: 6 };
      clients = {
        region,
        ec2: new EC2Client(options),
        cloudFormation: new CloudFormationClient(options),
        scheduler: new SchedulerClient(options),
        // Only asked for best-effort ping status: fail fast rather than retry for seconds.
        ssm: new SSMClient({ ...options, maxAttempts: 2 }),
      };
      cache.set(region, clients);
    }
    return clients;
  };
}
