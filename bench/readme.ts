/**
 * The README's Performance figures are the committed bench/results/latest.json, never typed by
 * hand: `npm run bench` writes this block into README.md, and test/build/bench-readme.test.ts
 * checks that the README still shows exactly what latest.json holds.
 */
export const BEGIN = "<!-- bench:latest: written by npm run bench from bench/results/latest.json; do not edit -->";
export const END = "<!-- /bench:latest -->";

export interface BenchResult {
  at: string;
  machine: { cpus: number; cpu?: string; node: string };
  table: string;
}

/** What the README shows of one run: when and where it ran, then its table as the bench printed it. */
export function readmeBlock(result: BenchResult): string {
  const { machine } = result;
  return [
    BEGIN,
    `Latest figures: \`bench/results/latest.json\`, run at ${result.at.slice(0, 16).replace("T", " ")} UTC on ${machine.cpus} vCPUs` +
      ` (${machine.cpu ?? "unknown CPU"}, shared with other work), Node ${machine.node}. moto stands in for AWS, so latencies are moto's.`,
    "",
    result.table,
    END,
  ].join("\n");
}

/** The README with its bench block replaced by `block`. */
export function withBlock(readme: string, block: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no bench block (${BEGIN} ... ${END})`);
  return `${readme.slice(0, start)}${block}${readme.slice(end + END.length)}`;
}

/** The bench block the README shows now, or undefined. */
export function blockOf(readme: string): string | undefined {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  return start < 0 || end < start ? undefined : readme.slice(start, end + END.length);
}
