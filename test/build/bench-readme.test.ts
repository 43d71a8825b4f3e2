import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { blockOf, readmeBlock } from "../../bench/readme.js";

// The README's Performance figures are those of the committed bench run, word for word: a number
// typed into the README by hand, or a run whose results were not committed, fails here.

describe("the README's Performance figures", () => {
  it("are bench/results/latest.json's, as npm run bench writes them", () => {
    const latest = JSON.parse(readFileSync("bench/results/latest.json", "utf8"));
    expect(blockOf(readFileSync("README.md", "utf8"))).toBe(readmeBlock(latest));
  });

  it("show the table that run printed, every budget of it passing or marked FAIL", () => {
    const latest = JSON.parse(readFileSync("bench/results/latest.json", "utf8"));
    const rows = (latest.table as string).split("\n").slice(2);
    expect(rows.length).toBeGreaterThan(10);
    for (const budget of latest.budgets as { measure: string; pass: boolean }[]) {
      const row = rows.find((line) => line.startsWith(`| ${budget.measure} `));
      expect(row, budget.measure).toMatch(budget.pass ? /\| pass +\|$/ : /\| FAIL +\|$/);
    }
  });
});
