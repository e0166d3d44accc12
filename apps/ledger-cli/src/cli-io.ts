import { SingleBar, Presets } from 'cli-progress';

/** A progress display: a bar on a terminal, nothing when output is captured. */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number, total?: number): void;
  stop(): void;
}

/** Where the CLI writes: stdout for results, stderr for progress and errors. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  progress(): Progress;
}

export const consoleIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: () => (process.stderr.isTTY ? new TerminalBar() : silentProgress),
};

export const silentProgress: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

class TerminalBar implements Progress {
  private readonly bar = new SingleBar(
    { format: '{label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}', stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );

  start(total: number, label: string): void {
    this.bar.start(Math.max(total, 1), 0, { label });
  }

  update(done: number, total?: number): void {
    if (total !== undefined) this.bar.setTotal(Math.max(total, 1));
    this.bar.update(done);
  }

  stop(): void {
    this.bar.stop();
  }
}
