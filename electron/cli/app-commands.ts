/**
 * The commands of `tirkeu` that open the workstation's database or serve it: migrate, verify-audit,
 * import-population, reset-password and serve. Apart from electron/cli.ts so a command that needs none of this
 * (`tirkeu iin`) starts without loading SQLite, the web host, the sync engine or the spreadsheet writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { SYSTEM_ACTOR } from '../../db/audit';
import { openDatabase } from '../../db/connection';
import { findStaffByLogin } from '../../db/staff';
import type { CliIo } from './io';
import { progressReporter } from './progress';
import { checkAuditLogHere } from '../services/admin/audit-check';
import { startBackupSchedule } from '../services/admin/backups';
import { DATABASE_FILE, openApp } from '../services/app';
import { seedDemoData } from '../services/demo-data';
import { createLogger } from '../services/log';
import { resetPassword } from '../services/staff-admin';
import { defaultDataDir, RENDERER_DIR } from '../services/paths';
import { ImportCancelledError, ImportFileError, importPopulationCsv, importSettled, rejectedRowsCsv } from '../services/population-import';
import { rejectionText } from '../../common/population-rejections';
import { LANGUAGES, type Language } from '../../common/roles';
import { startSync, stopSync } from '../services/sync/index';
import { startErequests } from '../services/erequests/intake';
import { startPrintoutWarmUp } from '../services/desk/printout-warm-up';
import { startWebHost } from '../webhost';

type Command = (argv: string[], io: CliIo) => Promise<number>;

function dataDirOf(values: { data?: string | undefined }, io: CliIo): string {
  return path.resolve(values.data ?? defaultDataDir(io.env));
}

export const appCommands: Record<string, Command> = {
  async migrate(argv, io) {
    const { values } = parseArgs({ args: argv, options: { data: { type: 'string' } } });
    const file = path.join(dataDirOf(values, io), DATABASE_FILE);
    const { db, migrated } = openDatabase(file);
    db.close();
    io.stdout.write(
      migrated
        ? `Migrated ${file} from version ${migrated.from} to ${migrated.to}${migrated.backup ? `; backup: ${migrated.backup}` : ''}\n`
        : `${file} is up to date\n`,
    );
    return 0;
  },

  async 'verify-audit'(argv, io) {
    const { values } = parseArgs({ args: argv, options: { data: { type: 'string' } } });
    const file = path.join(dataDirOf(values, io), DATABASE_FILE);
    if (!fs.existsSync(file)) {
      io.stderr.write(`No database at ${file}\n`);
      return 2;
    }
    const { db } = openDatabase(file, { readonly: true, migrate: false });
    try {
      // The same check as the Administration screen (services/admin/audit-check.ts).
      const { chain: verdict, acknowledged, server, ok } = checkAuditLogHere(db);
      io.stdout.write(JSON.stringify(acknowledged ? { ...verdict, acknowledged, server } : verdict) + '\n');
      if (!verdict.ok)
        io.stderr.write(
          `The audit log is broken at entry ${verdict.brokenAt} (${verdict.reason}): history was changed after it was written.\n`,
        );
      if (server && !server.ok) io.stderr.write(`The audit log does not match the central server: ${server.message}.\n`);
      if (!acknowledged) io.stderr.write('No audit head acknowledged by a central server yet: only the chain itself was checked.\n');
      return ok ? 0 : 1;
    } finally {
      db.close();
    }
  },

  async 'import-population'(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { data: { type: 'string' }, encoding: { type: 'string' }, lang: { type: 'string' } },
    });
    const file = positionals[0];
    const lang = (values.lang ?? 'en') as Language;
    if (!file || (values.encoding && !['utf-8', 'windows-1251'].includes(values.encoding)) || !LANGUAGES.includes(lang)) {
      io.stderr.write('Usage: tirkeu import-population FILE.csv [--data DIR] [--encoding utf-8|windows-1251] [--lang kk|ru|en]\n');
      return 2;
    }
    if (!fs.existsSync(file)) {
      io.stderr.write(`No such file: ${file}\n`);
      return 2;
    }
    const { app } = openApp({ dataDir: dataDirOf(values, io) });
    const progress = progressReporter(io.stderr, 'Importing');
    // Ctrl-C stops the import cleanly: the staged rows are dropped and the register stays as it was.
    const abort = new AbortController();
    const onInterrupt = () => abort.abort();
    process.once('SIGINT', onInterrupt);
    try {
      const report = await importPopulationCsv(app.db, file, {
        actor: SYSTEM_ACTOR,
        encoding: values.encoding as 'utf-8' | 'windows-1251' | undefined,
        signal: abort.signal,
        onProgress: (p) =>
          progress.update(p.bytes, p.total, p.rows, {
            rowsPerSecond: p.rowsPerSecond,
            secondsLeft: p.secondsLeft,
            step: p.phase === 'finishing' ? 'sorting, indexing and swapping in the new register…' : undefined,
          }),
      });
      progress.done();
      io.stdout.write(
        `Read ${report.read} rows: imported ${report.imported}, rejected ${report.rejectedCount} in ${report.seconds.toFixed(1)} s ` +
          `(${Math.round(report.read / Math.max(report.seconds, 0.001)).toLocaleString('en-US')} rows/s); ${report.registerSize} people in the register\n`,
      );
      if (report.rejectedCount > 0) {
        const out = file.replace(/\.csv$/i, '') + '.rejected.csv';
        fs.writeFileSync(out, rejectedRowsCsv(report.rejected, lang));
        for (const r of report.rejected.slice(0, 10))
          io.stdout.write(`  line ${r.line}: ${r.iin || '(no IIN)'} — ${rejectionText(r, 'en')}\n`);
        if (report.rejectedCount > 10) io.stdout.write(`  … ${report.rejectedCount - 10} more\n`);
        io.stdout.write(`Rejected rows are listed in ${out}\n`);
      }
      return 0;
    } catch (error) {
      progress.done();
      if (error instanceof ImportCancelledError) {
        io.stderr.write(`${error.message}\n`);
        return 130;
      }
      if (error instanceof ImportFileError) {
        // The new register is swapped in only at the end: a fault anywhere before leaves the old one whole.
        io.stderr.write(`${error.message}\nNothing from the file was imported; the register is as it was.\n`);
        return 1;
      }
      throw error;
    } finally {
      process.off('SIGINT', onInterrupt);
      // The worker copies the new register from the WAL into the database file after the import has answered.
      await importSettled(app.db);
      app.db.close();
    }
  },

  async 'reset-password'(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { data: { type: 'string' } } });
    const login = positionals[0];
    if (!login) {
      io.stderr.write('Usage: tirkeu reset-password LOGIN [--data DIR]\n');
      return 2;
    }
    const { app } = openApp({ dataDir: dataDirOf(values, io) });
    try {
      const staff = findStaffByLogin(app.db, login);
      if (!staff) {
        io.stderr.write(`No staff account with login ${login}\n`);
        return 1;
      }
      // The same service as the Staff screen's reset (services/staff-admin.ts).
      const { temporaryPassword: password } = await resetPassword(app, SYSTEM_ACTOR, staff.id, 'cli');
      io.stdout.write(`Temporary password for ${login}: ${password}\n(It must be changed at the next log-in.)\n`);
      return 0;
    } finally {
      app.db.close();
    }
  },

  async serve(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { data: { type: 'string' }, port: { type: 'string' }, 'no-demo': { type: 'boolean' }, reason: { type: 'string' } },
    });
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
      io.stderr.write(`The user interface is not built (${RENDERER_DIR}). Run: npm run build:renderer (npm start does it for you).\n`);
      return 2;
    }
    const dataDir = dataDirOf(values, io);
    const { app, migrated } = openApp({ dataDir, log: createLogger(path.join(dataDir, 'tirkeu.log')) });
    if (migrated)
      io.stdout.write(
        `Database ${path.join(dataDir, DATABASE_FILE)}: schema version ${migrated.to}${migrated.backup ? ` (backup ${migrated.backup})` : ''}\n`,
      );
    if (!values['no-demo']) {
      const accounts = seedDemoData(app);
      if (accounts) {
        io.stdout.write('\nDemo data created: an Astana polyclinic, a population sample and these accounts.\n');
        io.stdout.write('The passwords are shown only now (tirkeu reset-password LOGIN makes new ones):\n\n');
        for (const a of accounts)
          io.stdout.write(`  ${a.login.padEnd(16)} ${a.password.padEnd(12)} ${a.role}${a.specialty ? ` (${a.specialty})` : ''}\n`);
        io.stdout.write('\n');
      }
    }
    const port = values.port ? Number(values.port) : 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`Not a port number: ${values.port}\n`);
      return 2;
    }
    const host = await startWebHost({ app, staticDir: RENDERER_DIR, port });
    const stopBackups = startBackupSchedule(app); // the daily copy, at start-up when due (services/admin/backups.ts)
    startSync(app);
    const stopErequests = startErequests(app);
    // Sample talons rendered in idle time, so the first real one is as quick as the hundredth (desk/printout-warm-up.ts).
    startPrintoutWarmUp({
      onError: (error) => app.log.warn('printout.warm-up-failed', { error: String(error) }),
      onDone: (renders, ms) => app.log.info('printout.warmed-up', { renders, ms }),
    });
    if (values.reason) io.stdout.write(`${values.reason}\n`);
    // Another browser needs its own link: Enter on the console prints one (the Administration screen has a button).
    const keys = 'isTTY' in io.stdin && io.stdin.isTTY ? readline.createInterface({ input: io.stdin }) : null;
    keys?.on('line', () => io.stdout.write(`  ${host.issueLink()}\n`));
    io.stdout.write(
      `Tirkeu is serving on 127.0.0.1 only. Open this one-time link in a browser:\n\n  ${host.issueLink()}\n\n` +
        `${keys ? 'Press Enter for a link for another browser, ' : ''}Ctrl+C to stop.\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    keys?.close();
    stopErequests();
    stopBackups();
    await stopSync(app);
    await host.close();
    app.db.close();
    return 0;
  },
};
