import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

export interface MotoServer {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, as the kernel hands it out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Starts moto's server on 127.0.0.1 (on a free port unless one is given, with extra environment
 * such as MOTO_IAM_LOAD_MANAGED_POLICIES) and waits until it answers. `stop()` ends it by its PID.
 */
export async function startMoto(options: { port?: number; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<MotoServer> {
  const port = options.port ?? (await freePort());
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once("spawn", () => resolve(undefined));
    child.once("error", resolve);
  });
  if (spawned || child.pid === undefined) {
    throw new Error(`moto_server could not be started (${spawned?.message}); install it with: pip install "moto[server]"`);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const pid = child.pid;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(pid, "SIGTERM");
    const timer = setTimeout(() => child.exitCode === null && process.kill(pid, "SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilUp(endpoint, child, options.timeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return { endpoint, pid, stop };
}

/** Wipes every resource in the emulator. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}
