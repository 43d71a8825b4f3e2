/** What `ssm-knock --help` and every usage error print. One line per command, then the options. */
export const COMMAND_USAGE: Record<string, string> = {
  connect:
    "ssm-knock connect <instance-id|Name tag> [--ttl 2h] [--reason …] [--restart-agent] [--port-forward LOCAL:REMOTE[:HOST]] [--keep] [--wait-timeout 15m]",
  proxy: "ssm-knock proxy <instance-id|Name tag> <port> [--ttl 2h] [--reason …] [--restart-agent] [--wait-timeout 15m]",
  open: "ssm-knock open <instance-id|vpc-id|Name tag> [--ttl 2h] [--reason …] [--restart-agent]",
  ls: "ssm-knock ls",
  status: "ssm-knock status <vpc-id|instance-id|Name tag>",
  extend: "ssm-knock extend <vpc-id|instance-id|Name tag> <ttl>",
  close: "ssm-knock close <vpc-id|instance-id|Name tag>",
  help: "ssm-knock help [command]",
};

const COMMANDS = `Commands:
  connect   open (or join) access, wait until the instance is connectable, start a Session Manager
            session (a shell, or --port-forward), and close the access afterwards if this command
            opened it and nobody joined (unless --keep)
  proxy     the ssh ProxyCommand form: open or join, wait, then AWS-StartSSHSession on stdio
            (~/.ssh/config: ProxyCommand ssm-knock proxy %h %p); leaves the access to its TTL
  open      open (or join) access and print the session
  ls        list the sessions
  status    one session: endpoints, instances, readiness checks and their fixes
  extend    make a session last until <ttl> from now (never shorter)
  close     close a session now`;

const OPTIONS = `Options (every command):
  --api URL          the ssm-knock API (also SSM_KNOCK_API, or "api" in the config file)
  --profile NAME     the AWS profile that signs the requests (also AWS_PROFILE)
  --region NAME      the region for Name tags, and for signing when the API URL does not say it
  --account ID       the AWS account to open sessions in, when not the service's own (also
                     SSM_KNOCK_ACCOUNT, or "account" in the config file or a profile's section)
  --output json      print the API's JSON instead of tables (--json for short)
  --user NAME        your name for local mode (x-ssm-knock-user); default: your login name
  -h, --help         this help

Config file: $SSM_KNOCK_CONFIG, else $XDG_CONFIG_HOME/ssm-knock/config.json (~/.config/ssm-knock/config.json):
  {"api": "https://…", "region": "eu-west-1", "profiles": {"prod": {"api": "https://…"}}}

Exit status: 0 done, 1 failed (the message says why and what to do), 2 usage, 130 interrupted;
connect and proxy exit with the session command's status.`;

/** The usage of one command, or of all of them. */
export function usage(command?: string): string {
  const line = command ? COMMAND_USAGE[command] : undefined;
  if (line) return `Usage: ${line}\n\n${OPTIONS}`;
  return `Usage: ssm-knock <command> [options]\n\n${Object.values(COMMAND_USAGE)
    .map((text) => `  ${text}`)
    .join("\n")}\n\n${COMMANDS}\n\n${OPTIONS}`;
}
