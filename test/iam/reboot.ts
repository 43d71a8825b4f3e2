import { execFileSync } from "node:child_process";
import type { Template } from "../build/packaged.js";

/**
 * The deployment with reboots allowed (serverless.yml's allowReboot=true includes
 * resources/reboot-true.yml instead of reboot-false.yml): the packaged template plus that file's
 * resources, decoded by cfn-lint as CloudFormation reads it. The suites' local mode allows
 * reboots of its emulated instances, so their recorded calls are judged against this one.
 */
export function withRebootsAllowed(template: Template): Template {
  const decoded = JSON.parse(
    execFileSync(
      "python3",
      [
        "-c",
        "import json,sys\nfrom cfnlint.decode import decode\nprint(json.dumps(decode(sys.argv[1])[0], default=str))",
        "resources/reboot-true.yml",
      ],
      { encoding: "utf8" },
    ),
  ) as Template;
  return { ...template, Resources: { ...template.Resources, ...decoded.Resources } };
}
