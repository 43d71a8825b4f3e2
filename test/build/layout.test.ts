import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The layout of lib/ (docs/decisions.md, "Rooms by role"): imports point one way, from the
// adapters through the capabilities to the AWS edge and the shared vocabulary.

const ADAPTERS = new Set(["api", "slack", "notify", "cli"]);
const CAPABILITIES = ["cost", "accounts", "sessions", "readiness", "sweep"];
/** Which room may import which, besides itself and lib/template.ts. Capabilities import each other one way, in this order. */
const MAY_IMPORT: Record<string, (room: string, file: string) => boolean> = {
  core: () => false,
  runtime: (room, file) => room === "core" || (file.endsWith("runtime/deps.ts") && room === "aws"),
  aws: (room) => room === "core" || room === "runtime",
  ...Object.fromEntries(
    CAPABILITIES.map((capability, index) => [
      capability,
      (room: string) =>
        ["core", "runtime", "aws"].includes(room) || (CAPABILITIES.indexOf(room) !== -1 && CAPABILITIES.indexOf(room) < index),
    ]),
  ),
  // Adapters use every capability; between adapters only the HTTP plumbing (api/http.ts and its
  // middleware) and Slack's message blocks for notifications are shared.
  api: (room) => !ADAPTERS.has(room),
  slack: (room) => !ADAPTERS.has(room) || room === "api",
  notify: (room) => !ADAPTERS.has(room) || room === "api" || room === "slack",
  // The CLI is a client of the API: it shares the vocabulary (core) and the AWS edge, no other adapter.
  cli: (room) => !ADAPTERS.has(room),
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const roomOf = (path: string) => {
  const parts = relative("lib", path).split("/");
  return parts.length > 1 ? parts[0] : "top";
};

function importsOf(file: string): string[] {
  // Statements only (a line that opens an import or export, or closes a multi-line one), not the
  // imports that TSDoc @example blocks show.
  return [...readFileSync(file, "utf8").matchAll(/^(?:import|export|\}).*from "(\.{1,2}\/[^"]+)"/gm)].map((m) =>
    normalize(join(dirname(file), m[1])),
  );
}

describe("lib/ layout", () => {
  const files = sources("lib");

  it("knows every room it finds", () => {
    const rooms = new Set(files.map(roomOf));
    rooms.delete("top");
    for (const room of rooms) expect(Object.keys(MAY_IMPORT), room).toContain(room);
    expect(rooms.size).toBeGreaterThanOrEqual(8);
  });

  it("keeps imports pointing one way: adapters -> capabilities -> AWS edge / vocabulary", () => {
    const wrong: string[] = [];
    for (const file of files) {
      const room = roomOf(file);
      if (room === "top") continue;
      for (const target of importsOf(file)) {
        if (!target.startsWith("lib/")) wrong.push(`${file} imports ${target}, outside lib/`);
        const targetRoom = roomOf(target);
        if (targetRoom === room || targetRoom === "top") continue;
        if (!MAY_IMPORT[room]?.(targetRoom, file)) wrong.push(`${file} imports ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("keeps at most 10 files directly in lib/", () => {
    const top = files.filter((file) => roomOf(file) === "top");
    expect(top.length).toBeGreaterThan(0);
    expect(top.length).toBeLessThanOrEqual(10);
  });
});
