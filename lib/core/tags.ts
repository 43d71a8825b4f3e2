/** The tags ssm-knock puts on each session stack (and CloudFormation passes on to its resources). */
export const TAG = {
  managed: "ssm-knock:managed",
  session: "ssm-knock:session",
  expiresAt: "ssm-knock:expires-at",
  requestedBy: "ssm-knock:requested-by",
} as const;
