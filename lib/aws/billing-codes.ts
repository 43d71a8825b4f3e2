/**
 * The short region codes AWS puts before usage types (the Price List's `usagetype`, the Cost and
 * Usage Report's line items): "APN1-VpcEndpoint-Hours" is an Interface endpoint-hour in Tokyo.
 * From AWS's "AWS Region billing codes" page (global-infrastructure/latest/regions/
 * aws-region-billing-codes.html). Ireland is the one without a digit ("EU"). A region missing
 * here gets the configured price (ENDPOINT_HOURLY_USD) until it is added.
 */
export const BILLING_CODES: Readonly<Record<string, string>> = {
  "us-east-1": "USE1",
  "us-east-2": "USE2",
  "us-west-1": "USW1",
  "us-west-2": "USW2",
  "ca-central-1": "CAN1",
  "ca-west-1": "CAN2",
  "mx-central-1": "MXC1",
  "sa-east-1": "SAE1",
  "af-south-1": "AFS1",
  "ap-east-1": "APE1",
  "ap-east-2": "APE2",
  "ap-northeast-1": "APN1",
  "ap-northeast-2": "APN2",
  "ap-northeast-3": "APN3",
  "ap-southeast-1": "APS1",
  "ap-southeast-2": "APS2",
  "ap-south-1": "APS3",
  "ap-southeast-3": "APS4",
  "ap-south-2": "APS5",
  "ap-southeast-4": "APS6",
  "ap-southeast-5": "APS7",
  "ap-southeast-6": "APS8",
  "ap-southeast-7": "APS9",
  "eu-west-1": "EU",
  "eu-west-2": "EUW2",
  "eu-west-3": "EUW3",
  "eu-central-1": "EUC1",
  "eu-central-2": "EUC2",
  "eu-north-1": "EUN1",
  "eu-south-1": "EUS1",
  "eu-south-2": "EUS2",
  "il-central-1": "ILC1",
  "me-south-1": "MES1",
  "me-central-1": "MEC1",
};

/** The Price List usage type of one Interface endpoint-hour in a region, or undefined for a region not listed. */
export const endpointHourUsageType = (region: string): string | undefined =>
  BILLING_CODES[region] ? `${BILLING_CODES[region]}-VpcEndpoint-Hours` : undefined;
