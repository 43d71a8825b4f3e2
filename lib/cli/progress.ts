/** "0:42", "12:05", "1:02:09": time since the wait began. */
export function elapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return hours ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** Where progress goes: stderr, so that stdout carries only results (and, for proxy, ssh's bytes). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  /** The wait is at `stage`; `detail` says what it waits for. */
  update(stage: string, detail?: string): void;
  /** A line that stays (a warning, the final state). */
  say(line: string): void;
  stop(): void;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Progress with elapsed time: on a terminal one live line, redrawn every second; elsewhere (a
 * pipe, a CI log, ssh's ProxyCommand) one plain line per stage reached.
 */
export function progressOn(stream: ProgressStream, now: () => number = Date.now): Progress {
  const started = now();
  let current = { stage: "", detail: "" };
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const stamp = () => `[${elapsed(now() - started)}]`;
  const text = () => `${stamp()} ${current.stage}${current.detail ? ` - ${current.detail}` : ""}`;
  const redraw = () => {
    frame = (frame + 1) % SPINNER.length;
    stream.write(`\r\x1b[2K${SPINNER[frame]} ${text()}`);
  };
  const clear = () => {
    if (stream.isTTY && current.stage) stream.write("\r\x1b[2K");
  };
  return {
    update(stage, detail = "") {
      const changed = stage !== current.stage;
      current = { stage, detail };
      if (!stream.isTTY) {
        if (changed) stream.write(`${text()}\n`);
        return;
      }
      redraw();
      timer ??= setInterval(redraw, 1000);
      timer.unref();
    },
    say(line) {
      clear();
      stream.write(`${stamp()} ${line}\n`);
      if (stream.isTTY && current.stage) redraw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
      current = { stage: "", detail: "" };
    },
  };
}
