/**
 * `tirkeu trust [add FILE...]`, `tirkeu answer-key [import FILE.p12 [--key-id ID]]` and `tirkeu token-check
 * [--module PATH]`: the Administration screen's clinic set-up for scripts, through the same services
 * (electron/services/admin/) on the same default data folder. The key file's password is read from
 * $TIRKEU_KEY_PASSWORD or the first line of standard input, never from an argument (process lists, shell history).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError } from '../../common/errors';
import { SYSTEM_ACTOR } from '../../db/audit';
import { answerKeyStatus, importAnswerKey, type AnswerKeyStatus } from '../services/admin/answer-key';
import { checkTokens } from '../services/admin/token-check';
import { trustOverview } from '../services/admin/trust-files';
import { closeApp, openApp, type AppContext } from '../services/app';
import { addTrustFile } from '../services/erequests/trust';
import { defaultDataDir } from '../services/paths';
import type { CliIo } from './io';
import { readSecret } from './read-secret';

export type SetupCommand = 'trust' | 'answer-key' | 'token-check';

const USAGE: Record<SetupCommand, string> = {
  trust: 'Usage: tirkeu trust [--data DIR] | tirkeu trust add FILE... [--data DIR]   (CA certificates and CRLs, PEM or DER)\n',
  'answer-key':
    'Usage: tirkeu answer-key [--data DIR] | tirkeu answer-key import FILE.p12 [--key-id ID] [--data DIR]\n' +
    '       (the password from $TIRKEU_KEY_PASSWORD or the first line of standard input)\n',
  'token-check': 'Usage: tirkeu token-check [--module PATH]... [--data DIR]   (default: the modules configured on this workstation)\n',
};

export async function run(argv: string[], io: CliIo, command: SetupCommand): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, 'key-id': { type: 'string' }, module: { type: 'string', multiple: true } },
  });
  const [verb, ...files] = positionals;
  const valid =
    command === 'trust'
      ? verb === undefined || (verb === 'add' && files.length > 0)
      : command === 'answer-key'
        ? verb === undefined || (verb === 'import' && files.length === 1)
        : verb === undefined;
  if (!valid) {
    io.stderr.write(USAGE[command]);
    return 2;
  }
  for (const f of files)
    if (!fs.existsSync(f)) {
      io.stderr.write(`No such file: ${f}\n`);
      return 2;
    }
  const { app } = openApp({ dataDir: path.resolve(values.data ?? defaultDataDir(io.env)) });
  try {
    if (command === 'trust') {
      for (const f of files) {
        addTrustFile(app, SYSTEM_ACTOR, { fileName: path.basename(f), base64: fs.readFileSync(f).toString('base64') });
        io.stdout.write(`Added ${f}\n`);
      }
      printTrust(app, io);
      return 0;
    }
    if (command === 'answer-key') {
      if (verb === 'import') {
        const secret = await readSecret(io, ['TIRKEU_KEY_PASSWORD']);
        if (!secret) {
          io.stderr.write('The key file password is missing: set TIRKEU_KEY_PASSWORD or give it on standard input.\n');
          return 2;
        }
        const file = files[0]!;
        const source = { kind: 'pkcs12' as const, fileName: path.basename(file), fileBase64: fs.readFileSync(file).toString('base64') };
        try {
          printKey(
            await importAnswerKey(app, SYSTEM_ACTOR, { source, keyId: values['key-id'] ?? null, secret: secret.toString('utf8') }),
            io,
          );
        } finally {
          secret.fill(0);
        }
        return 0;
      }
      const status = await answerKeyStatus(app);
      printKey(status, io);
      return status.configured && status.problems.length === 0 ? 0 : 1;
    }
    const check = checkTokens(app, values.module ?? undefined);
    for (const m of check.modules) {
      io.stdout.write(`${m.module}: ${m.state}${m.detail ? ` (${m.detail})` : ''}\n`);
      for (const s of m.slots) {
        const t = s.token;
        io.stdout.write(
          `  slot ${s.index} ${s.description}: ${
            t
              ? `token "${t.label}" serial ${t.serial}${t.initialized ? '' : ' (not initialized)'}${t.pinLocked ? ' (PIN locked)' : ''}`
              : 'no token'
          }\n`,
        );
        for (const c of s.certificates)
          io.stdout.write(`    ${c.name}  ${c.notBefore.slice(0, 10)} – ${c.notAfter.slice(0, 10)}  ${c.problem ?? 'can sign'}\n`);
      }
    }
    for (const f of check.findings)
      io.stdout.write(
        `${f.severity.padEnd(7)} ${f.code}${f.token ? ` token "${f.token}"` : ''}${f.certificate ? ` ${f.certificate}` : ''}\n`,
      );
    return check.ready ? 0 : 1;
  } catch (error) {
    if (error instanceof ApiError) {
      io.stderr.write(`tirkeu ${command}: ${error.message}${error.fields?.length ? ` (${error.fields.join(', ')})` : ''}\n`);
      return 1;
    }
    throw error;
  } finally {
    closeApp(app);
  }
}

function printTrust(app: AppContext, io: CliIo): void {
  const t = trustOverview(app);
  io.stdout.write(`CA certificates: ${t.certificates.length}\n`);
  for (const c of t.certificates)
    io.stdout.write(`  [${c.source}] ${c.subject}  ${c.notBefore.slice(0, 10)} – ${c.notAfter.slice(0, 10)}  ${c.state}  (${c.name})\n`);
  io.stdout.write(`CRLs: ${t.crls.length}\n`);
  for (const c of t.crls)
    io.stdout.write(
      `  [${c.source}] ${c.issuer ?? '?'}  this update ${c.thisUpdate ?? '-'}  next update ${c.nextUpdate ?? '-'}  entries ${c.entries ?? '-'}  ${c.state}${c.problem ? ` (${c.problem})` : ''}  (${c.name})\n`,
    );
}

function printKey(s: AnswerKeyStatus, io: CliIo): void {
  if (!s.configured) {
    io.stdout.write('No answer key is configured.\n');
    return;
  }
  io.stdout.write(`Answer key: ${s.kind} ${s.label}${s.keyId ? ` key id ${s.keyId}` : ''}\n`);
  if (s.certificate)
    io.stdout.write(
      `  ${s.certificate.subject}\n  BIN ${s.certificate.bin ?? '-'} (organization ${s.organizationBin ?? '-'})  valid ${s.certificate.notBefore} – ${s.certificate.notAfter}\n`,
    );
  if (s.problems.length) io.stdout.write(`  problems: ${s.problems.join(', ')}${s.openError ? ` (${s.openError})` : ''}\n`);
}
