/** A progress bar on stderr (cli-progress), shown only on a TTY and only once a run has taken over a second. */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Overall share done, 0..1. */
  update(fraction: number): void;
  stop(): void;
}

export function createProgress(label: string, enabled = process.stderr.isTTY === true): Progress {
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(fraction) {
      if (!enabled) return;
      const value = Math.round(Math.min(1, Math.max(0, fraction)) * 1000);
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {duration}s`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1000, value);
      }
      bar.update(value);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
