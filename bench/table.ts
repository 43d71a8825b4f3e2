import type { Check } from "./budgets.js";
import type { InitFigures } from "./init.js";

export interface Row {
  measure: string;
  real: string;
  naive?: string;
  check?: Check;
}

const COLUMNS = ["measure", "ssm-knock", "naive anchor", "budget", "result"] as const;

/** One Markdown table: it reads in a terminal and pastes into the README unchanged. */
export function renderTable(rows: Row[]): string {
  const cells = rows.map((row) => [
    row.measure,
    row.real,
    row.naive ?? "",
    row.check?.budget ?? "",
    row.check ? (row.check.pass ? "pass" : "FAIL") : "",
  ]);
  const widths = COLUMNS.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index].length)));
  const line = (values: readonly string[]) => `| ${values.map((value, index) => value.padEnd(widths[index])).join(" | ")} |`;
  return [line(COLUMNS), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}

export const bytes = (value: number) => value.toLocaleString("en-US");
export const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
export const seconds = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} s`;

/** An init figure: the median ratio, its per-round spread, then the process and the import alone. */
export const initText = (figure: InitFigures | undefined) =>
  figure
    ? `${figure.ratio.toFixed(2)}x (${figure.ratioSpread[0].toFixed(2)}-${figure.ratioSpread[1].toFixed(2)}): ${ms(figure.processMs)} (${ms(figure.importMs)})`
    : "n/a";
