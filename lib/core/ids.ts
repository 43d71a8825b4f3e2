/** AWS resource ids: a prefix and 8 (older) or 17 hex digits. */
const id = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);

export const INSTANCE_ID = id("i");
export const VPC_ID = id("vpc");
export const SUBNET_ID = id("subnet");
export const SECURITY_GROUP_ID = id("sg");
export const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** An AWS account id: twelve digits. */
export const ACCOUNT_ID = /^\d{12}$/;
