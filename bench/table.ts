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
const ratioText = (ratio: number, spread: [number, number]) => `${ratio.toFixed(2)}x (${spread[0].toFixed(2)}-${spread[1].toFixed(2)})`;

/** "1.21x floor (1.18-1.25); 1.97x bare (1.90-2.05): 71 ms (35 ms)": over the floor, over bare Node, process (import). */
export const initText = (figure: InitFigures | undefined) => {
  if (!figure) return "n/a";
  const overFloor =
    figure.overReference !== undefined && figure.referenceSpread
      ? `${ratioText(figure.overReference, figure.referenceSpread)} floor; `
      : "";
  return `${overFloor}${ratioText(figure.ratio, figure.ratioSpread)} bare: ${ms(figure.processMs)} (${ms(figure.importMs)})`;
};
