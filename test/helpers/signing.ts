/** Small shared pieces of the signing tests: openssl verification of our output, an in-memory CLI io. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../electron/cli/io';

/** `openssl cms -verify` of a detached signature; returns openssl's verdict instead of throwing. */
export function opensslVerifyDetached(p7s: string, content: string, caFile: string): { ok: boolean; output: string } {
  try {
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-content',
        content,
        '-inform',
        'DER',
        '-in',
        p7s,
        '-CAfile',
        caFile,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return { ok: true, output: out.toString() };
  } catch (e) {
    return { ok: false, output: (e as { stderr?: Buffer }).stderr?.toString() ?? String(e) };
  }
}

/** Number of SignerInfos openssl sees in a SignedData. */
export function opensslSignerCount(p7s: string): number {
  const text = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7s], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
  return (text.match(/signatureAlgorithm:/g) ?? []).length;
}

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

export function captureIo(env: NodeJS.ProcessEnv = {}, stdinText?: string): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => (o += c.toString()));
  stderr.on('data', (c) => (e += c.toString()));
  if (stdinText !== undefined) stdin.end(stdinText);
  else stdin.end();
  return { stdout, stderr, stdin, env, out: () => o, err: () => e };
}

export function writeFile(path: string, data: string | Uint8Array): string {
  writeFileSync(path, data);
  return path;
}
