import { Logger } from "@aws-lambda-powertools/logger";

/** One structured JSON logger for the service; POWERTOOLS_LOG_LEVEL sets its level. */
export const logger = new Logger({ serviceName: "ssm-knock" });
