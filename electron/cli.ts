/**
 * `tirkeu` — the command line of the workstation: run the web host, migrate, import the population register,
 * verify the audit chain, check IINs, reset a password. Each command is a function returning its exit code, so
 * tests call them directly and the `bin/tirkeu.mjs` launcher only sets the exit code. Only `iin` lives here; every
 * other command is loaded when it is run, so a command loads only what it uses (a quick start, issue 18).
 */
import { parseIin } from '../common/iin';
import { processIo, type CliIo } from './cli/io';
import { defaultDataDir } from './services/paths';

const USAGE = `Usage: tirkeu <command> [options]

  serve [--data DIR] [--port N] [--no-demo]   run the workstation UI and API on 127.0.0.1
  migrate [--data DIR]                          create or upgrade the database (a backup is made first)
  import-population FILE.csv [--data DIR] [--encoding utf-8|windows-1251] [--lang kk|ru|en]
                                                import the population register; rejected rows go to FILE.rejected.csv
                                                (in the --lang language, English by default)
  verify-audit [--data DIR]                     check the audit log's hash chain (names the first broken link) and
                                                that it still holds the head the central server acknowledged
                                                (names truncation and re-hashing)
  iin NUMBER...                                 check IINs: one JSON line each; exit 1 if any is invalid
  reset-password LOGIN [--data DIR]             give a staff account a new temporary password
  backup [--data DIR]                           copy the database now into DATA/backups (VACUUM INTO)
  backups [--data DIR]                          list the backups: time, kind, size, name
  restore NAME [--yes] [--data DIR]             show what a backup holds; with --yes, restore it (the current
                                                database is copied first)
  trust [add FILE...] [--data DIR]              the CA certificates and CRLs the e-request verifier trusts; add
                                                one (PEM or DER; a CRL must be signed by a trusted CA)
  answer-key [import FILE.p12 [--key-id ID]]    the organization's answer key (its certificate only); import a key
                                                file (password from $TIRKEU_KEY_PASSWORD or stdin), stored sealed
  token-check [--module PATH]... [--data DIR]   the PKCS#11 modules, slots, tokens and certificates, and what is wrong
  sign FILE ...                                 sign a document (see: tirkeu sign --help)
  verify-request FILE ...                       verify a citizen's signed request (see: tirkeu verify-request --help)
  services --json [--region R] [--at ISO]       the regulated services in force
  calendar --region R --from ISO --add-working-days N
                                                the deadline N working days on, with every skipped day and why (to
                                                check the calendar against an official list; see --help)
  simulate-clinic [--desks 5] [--operations 5000] [--offline 0.3] [--database pglite|postgres] [--seed N] [--json]
                                                a central server and N desks doing random work with faults; checks
                                                that nothing is lost, doubled or double-booked (see --help)

The data folder defaults to ${defaultDataDir()} (or $TIRKEU_DATA).
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  async iin(argv, io) {
    if (argv.length === 0) {
      io.stderr.write('Usage: tirkeu iin NUMBER...\n');
      return 2;
    }
    let allValid = true;
    for (const raw of argv) {
      const r = parseIin(raw);
      if (r.valid) io.stdout.write(JSON.stringify({ iin: r.iin, valid: true, birthDate: r.birthDate, sex: r.sex }) + '\n');
      else {
        allValid = false;
        io.stdout.write(JSON.stringify({ iin: r.iin, valid: false, reason: r.reason }) + '\n');
      }
    }
    return allValid ? 0 : 1;
  },
};

/** Commands implemented in their own modules, loaded on demand so their dependencies load only when used. */
const lazyCommands: Record<string, () => Promise<{ run: Command }>> = {
  ...Object.fromEntries(
    ['migrate', 'verify-audit', 'import-population', 'reset-password', 'serve'].map((name) => [
      name,
      () => import('./cli/app-commands').then((m) => ({ run: m.appCommands[name]! })),
    ]),
  ),
  sign: () => import('./cli/sign'),
  'verify-request': () => import('./cli/verify-request'),
  services: () => import('./cli/services'),
  calendar: () => import('./cli/calendar'),
  'simulate-clinic': () => import('./cli/simulate-clinic'),
  backup: () => import('./cli/backups').then((m) => ({ run: (argv: string[], io: CliIo) => m.run(argv, io, 'backup') })),
  backups: () => import('./cli/backups').then((m) => ({ run: (argv: string[], io: CliIo) => m.run(argv, io, 'backups') })),
  restore: () => import('./cli/backups').then((m) => ({ run: (argv: string[], io: CliIo) => m.run(argv, io, 'restore') })),
  trust: () => import('./cli/clinic-setup').then((m) => ({ run: (argv: string[], io: CliIo) => m.run(argv, io, 'trust') })),
  'answer-key': () => import('./cli/clinic-setup').then((m) => ({ run: (argv: string[], io: CliIo) => m.run(argv, io, 'answer-key') })),
  'token-check': () => import('./cli/clinic-setup').then((m) => ({ run: (argv: string[], io: CliIo) => m.run(argv, io, 'token-check') })),
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  try {
    const command = commands[name] ?? (lazyCommands[name] ? (await lazyCommands[name]()).run : undefined);
    if (!command) {
      io.stderr.write(`Unknown command: ${name}\n\n${USAGE}`);
      return 2;
    }
    return await command(rest, io);
  } catch (error) {
    if (error instanceof (await import('../db/connection')).DatabaseVersionError) {
      io.stderr.write(error.message + '\n');
      return 1;
    }
    if (
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      io.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`tirkeu ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}
