/** A progress bar on a terminal, or a line every 10% when the output is a file or a pipe. */
export function progressReporter(stream: NodeJS.WriteStream | NodeJS.WritableStream, label: string) {
  const tty = 'isTTY' in stream && stream.isTTY;
  let lastDecile = -1;
  return {
    update(done: number, total: number, rows: number) {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const pct = Math.round(ratio * 100);
      if (tty) {
        const width = 30;
        const filled = Math.round(ratio * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${rows.toLocaleString('en-US')} rows`,
        );
      } else if (Math.floor(pct / 10) > lastDecile) {
        lastDecile = Math.floor(pct / 10);
        stream.write(`${label}: ${pct}% (${rows} rows)\n`);
      }
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
