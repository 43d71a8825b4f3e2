import { motoForProject } from "./moto-global.js";

// The readiness suite's moto: AWS managed policies (AmazonSSMManagedInstanceCore) exist, for the
// role checks. Loading them makes every reset about ten times slower, hence a server of its own.
const withManagedPolicies = motoForProject({ MOTO_IAM_LOAD_MANAGED_POLICIES: "true" });
export const setup = withManagedPolicies.setup;
export const teardown = withManagedPolicies.teardown;
