/**
 * Reads a PIN or password for the signing commands: from an environment variable, else the first line of
 * standard input. Never from an argument: arguments are visible to every user in the process list and end up in
 * shell history. Returned as a Buffer so the signer can wipe it; the stdin chunks are wiped too.
 */
import type { CliIo } from './io';

export async function readSecret(io: CliIo, envNames: string[]): Promise<Buffer | null> {
  for (const name of envNames) {
    const v = io.env[name];
    if (v !== undefined && v !== '') return Buffer.from(v, 'utf8');
  }
  return readFirstLine(io.stdin);
}

function readFirstLine(stdin: NodeJS.ReadableStream): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      stdin.removeListener('data', onData);
      stdin.removeListener('end', finish);
      stdin.removeListener('error', onError);
      stdin.pause?.();
      const all = Buffer.concat(chunks);
      for (const c of chunks) c.fill(0);
      let end = all.indexOf(0x0a);
      if (end < 0) end = all.length;
      if (end > 0 && all[end - 1] === 0x0d) end--;
      const line = Buffer.from(all.subarray(0, end));
      all.fill(0);
      resolve(line.length > 0 ? line : null);
    };
    const onData = (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(b);
      if (b.includes(0x0a)) finish();
    };
    const onError = (e: Error) => {
      if (!settled) {
        settled = true;
        reject(e);
      }
    };
    stdin.on('data', onData);
    stdin.once('end', finish);
    stdin.once('error', onError);
    stdin.resume?.();
  });
}
