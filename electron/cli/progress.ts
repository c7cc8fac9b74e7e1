/**
 * A progress bar on a terminal, or a line every 10% when the output is a file or a pipe; with the rate and the
 * time left when the caller knows them.
 */
export interface ProgressExtra {
  rowsPerSecond?: number;
  secondsLeft?: number | null;
  /** Replaces the percentage line while a last step without a byte count runs (e.g. "building the index"). */
  step?: string;
}

/** 83 → "1:23", 3725 → "1:02:05". */
export function durationText(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function progressReporter(stream: NodeJS.WriteStream | NodeJS.WritableStream, label: string) {
  const tty = 'isTTY' in stream && stream.isTTY;
  let lastDecile = -1;
  let lastStep = '';
  return {
    update(done: number, total: number, rows: number, extra: ProgressExtra = {}) {
      if (extra.step) {
        if (extra.step === lastStep) return;
        lastStep = extra.step;
        stream.write(tty ? `\r\x1b[K${label}: ${extra.step}` : `${label}: ${extra.step}\n`);
        return;
      }
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const pct = Math.round(ratio * 100);
      const rate = extra.rowsPerSecond ? `, ${Math.round(extra.rowsPerSecond).toLocaleString('en-US')} rows/s` : '';
      const left = extra.secondsLeft != null ? `, ${durationText(extra.secondsLeft)} left` : '';
      if (tty) {
        const width = 30;
        const filled = Math.round(ratio * width);
        stream.write(
          `\r\x1b[K${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${rows.toLocaleString('en-US')} rows${rate}${left}`,
        );
      } else if (Math.floor(pct / 10) > lastDecile) {
        lastDecile = Math.floor(pct / 10);
        stream.write(`${label}: ${pct}% (${rows} rows${rate}${left})\n`);
      }
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
