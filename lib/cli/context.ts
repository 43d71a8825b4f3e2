import type { ApiClient } from "./api-client.js";
import type { ProgressStream } from "./progress.js";
import type { Settings } from "./settings.js";
import type { InstanceDirectory } from "./targets.js";

/** Where a run reads and writes: results on stdout, progress and errors on stderr. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
}

/** What every command gets: the settings, the API, EC2 look-ups on demand, and its streams. */
export interface CliContext {
  settings: Settings;
  api: ApiClient;
  directory: () => InstanceDirectory;
  io: CliIo;
}
