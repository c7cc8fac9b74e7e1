/**
 * `tirkeu sign FILE --pkcs11 MODULE --token LABEL [--key-id HEX] --out FILE.p7s`
 * `tirkeu sign FILE --p12 FILE.p12 [--key-id HEX] --out FILE.p7s`
 *
 * Writes a detached CAdES-BES signature over the file's bytes. The PIN/password comes from TIRKEU_PIN
 * (TIRKEU_PASSWORD is also accepted for key files) or the first line of standard input. The output appears only when
 * signing succeeded (written to a temporary file, then renamed); FILE itself is only read.
 * Exit codes: 0 signed, 1 signing refused (token, PIN, certificate), 2 usage error.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiError } from '../../common/errors';
import { createPkcs11Signer, createPkcs12Signer, type Signer } from '../services/signing';
import type { CliIo } from './io';
import { readSecret } from './read-secret';
import { systemClock } from '../../common/clock';

const USAGE = `Usage:
  tirkeu sign FILE --pkcs11 MODULE --token LABEL [--key-id HEX] --out FILE.p7s
  tirkeu sign FILE --p12 FILE.p12 [--key-id ID] --out FILE.p7s

Options:
  --add-to SIG.p7s   add this signature beside those already in SIG.p7s (a second signer on the same document)
  --iin IIN          refuse unless the certificate carries this IIN (the signer's own)
  --bin BIN          refuse unless the certificate carries this BIN (the organization's)
  --list             list the keys and certificates instead of signing (a key file needs its password)

The PIN or password is read from $TIRKEU_PIN or from the first line of standard input, never from an argument.
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        pkcs11: { type: 'string' },
        token: { type: 'string' },
        'key-id': { type: 'string' },
        p12: { type: 'string' },
        out: { type: 'string' },
        'add-to': { type: 'string' },
        iin: { type: 'string' },
        bin: { type: 'string' },
        list: { type: 'boolean' },
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
  if (Boolean(v.pkcs11) === Boolean(v.p12)) return usage(io, 'give exactly one of --pkcs11 MODULE or --p12 FILE');
  if (v.pkcs11 && !v.token) return usage(io, '--pkcs11 needs --token LABEL');
  if (v.token && !v.pkcs11) return usage(io, '--token goes with --pkcs11');
  if (v['key-id'] !== undefined && v.pkcs11 && !/^([0-9a-fA-F]{2})+$/.test(v['key-id'])) return usage(io, '--key-id must be hex');
  if (!v.list) {
    if (positionals.length !== 1) return usage(io, 'give one FILE to sign');
    if (!v.out) return usage(io, '--out FILE.p7s is required');
  }

  const signer: Signer = v.pkcs11 ? createPkcs11Signer({ module: v.pkcs11, token: v.token! }) : createPkcs12Signer({ file: v.p12! });

  let content: Buffer | null = null;
  let existing: Buffer | undefined;
  if (!v.list) {
    try {
      content = readFileSync(positionals[0]!);
      if (v['add-to']) existing = readFileSync(v['add-to']);
    } catch (e) {
      return usage(io, `cannot read ${(e as NodeJS.ErrnoException).path ?? positionals[0]}: ${(e as NodeJS.ErrnoException).code}`);
    }
  }

  const envNames = v.p12 ? ['TIRKEU_PIN', 'TIRKEU_PASSWORD'] : ['TIRKEU_PIN'];
  let secret: Buffer | null = null;
  const needSecret = !v.list || Boolean(v.p12);
  if (needSecret) {
    secret = await readSecret(io, envNames);
    if (!secret) return usage(io, `no ${v.p12 ? 'password' : 'PIN'}: set TIRKEU_PIN or write it on the first line of standard input`);
  }

  try {
    if (v.list) {
      const keys = await signer.listKeys(secret ?? undefined);
      for (const k of keys) io.stdout.write(JSON.stringify(k) + '\n');
      return 0;
    }
    const result = await signer.sign(content!, {
      secret: secret!,
      keyId: v['key-id'],
      existing,
      signingTime: systemClock(),
      expect: v.iin || v.bin ? { iin: v.iin, bin: v.bin } : undefined,
    });
    const out = v.out!;
    const tmp = `${out}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, result.cms);
      renameSync(tmp, out);
    } catch (e) {
      rmSync(tmp, { force: true });
      io.stderr.write(`tirkeu sign: cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 1;
    }
    const c = result.certificate;
    io.stdout.write(
      JSON.stringify({
        out,
        keyId: result.keyId,
        signer: { name: c.name, iin: c.iin, bin: c.bin, serial: c.serial, notAfter: c.notAfter },
      }) + '\n',
    );
    return 0;
  } catch (e) {
    if (e instanceof ApiError) {
      io.stderr.write(`tirkeu sign: ${e.code}: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    secret?.fill(0);
  }
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`tirkeu sign: ${message}\n\n${USAGE}`);
  return 2;
}
