/**
 * `tirkeu verify-request FILE --trust CA.pem [--trust …] --crl CRL.pem [--crl …] [--at ISO-8601]`
 *
 * Prints one JSON line `{"valid","iin","signer","reasons"}`. Exit 0 when valid, 1 when rejected, 2 on a usage
 * error (including a trust or CRL file that cannot be used: a misconfigured verifier must not look like a verdict).
 * FILE may be `-` for standard input.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CrlError, TrustStore, verifySignedRequest } from '../../pki';
import type { CliIo } from './io';
import { systemClock } from '../../common/clock';

const USAGE = `Usage: tirkeu verify-request FILE --trust CA.pem [--trust …] --crl CRL.pem [--crl …] [--at ISO-8601]

FILE is a CMS SignedData (DER, PEM or base64) carrying the JSON request; '-' reads standard input.
--at checks the certificate at this time instead of the signing time in the request.
Prints {"valid","iin","signer","reasons"}; exit 0 valid, 1 rejected, 2 usage error.
`;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        trust: { type: 'string', multiple: true },
        crl: { type: 'string', multiple: true },
        at: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, 'give one FILE');
  if (!v.trust?.length) return usage(io, 'at least one --trust CA certificate is required');
  let at: Date | undefined;
  if (v.at !== undefined) {
    at = new Date(v.at);
    if (!ISO_8601.test(v.at) || Number.isNaN(at.getTime())) return usage(io, `--at ${v.at} is not an ISO-8601 time`);
  }

  let trust: TrustStore;
  try {
    // One request, one lookup: the CRL's structure and signature are checked, but no index is built.
    trust = TrustStore.fromFiles({ trust: v.trust, crl: v.crl ?? [] }, 'few');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const detail = e instanceof CrlError ? e.message : err.code ? `cannot read ${err.path}: ${err.code}` : `bad trust file: ${err.message}`;
    return usage(io, detail);
  }

  let input: Buffer;
  try {
    input = positionals[0] === '-' ? await readAll(io.stdin) : readFileSync(positionals[0]!);
  } catch (e) {
    return usage(io, `cannot read ${positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }

  const result = verifySignedRequest(input, trust, { at, now: systemClock() });
  io.stdout.write(JSON.stringify({ valid: result.valid, iin: result.iin, signer: result.signer, reasons: result.reasons }) + '\n');
  return result.valid ? 0 : 1;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`tirkeu verify-request: ${message}\n\n${USAGE}`);
  return 2;
}
