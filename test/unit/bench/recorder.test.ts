import { describe, expect, it } from "vitest";
import { type AwsCall, sequentialRounds } from "../../../bench/recorder.js";

const call = (command: string, start: number, end: number): AwsCall => ({
  service: "EC2",
  command,
  start,
  end,
  attempts: 1,
  input: {},
  at: start,
});

describe("sequentialRounds", () => {
  it("is 0 for no calls and 1 for calls in flight together", () => {
    expect(sequentialRounds([])).toBe(0);
    expect(sequentialRounds([call("a", 0, 10), call("b", 1, 12), call("c", 2, 8)])).toBe(1);
  });

  it("counts each call released by the previous one's answer as one round more", () => {
    expect(sequentialRounds([call("c", 20.2, 30), call("a", 0, 10), call("b", 10.1, 20)])).toBe(3);
  });

  it("counts a call after a Promise.all as one round after the slowest of them", () => {
    const fanOut = [call("a", 0, 10), call("b", 0, 25), call("c", 0, 5)];
    expect(sequentialRounds([...fanOut, call("after", 25.1, 30), call("then", 30.1, 40)])).toBe(3);
  });

  it("does not add up two independent chains whose calls interleave", () => {
    // The open's three rounds, and a concurrent read of two quick rounds that land between them.
    const open = [call("open-1", 0, 10), call("open-2", 10.1, 20), call("open-3", 20.1, 30)];
    const read = [call("read-1", 0, 4), call("read-2", 4.1, 8)];
    expect(sequentialRounds([...open, ...read])).toBe(3);
  });

  it("counts the longer of two chains", () => {
    const a = [call("a-1", 0, 10), call("a-2", 10.1, 20)];
    const b = [call("b-1", 0, 3), call("b-2", 3.1, 6), call("b-3", 6.1, 9), call("b-4", 9.05, 9.9)];
    expect(sequentialRounds([...a, ...b])).toBe(4);
  });
});
