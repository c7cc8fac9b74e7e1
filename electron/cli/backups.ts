/**
 * `tirkeu backup`, `tirkeu backups` and `tirkeu restore NAME [--yes]`: the Administration screen's backups for
 * scripts, through the same service (electron/services/admin/backups.ts). Without `--yes`, `restore` only shows
 * what the copy holds next to the database in use, as the screen's preview does.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SYSTEM_ACTOR } from '../../db/audit';
import { ApiError } from '../../common/errors';
import { listBackups, previewBackup, pruneBackups, restoreBackupPausingSync, takeBackup } from '../services/admin/backups';
import { closeApp, openApp } from '../services/app';
import { defaultDataDir } from '../services/paths';
import type { CliIo } from './io';

const USAGE = 'Usage: tirkeu backup [--data DIR] | tirkeu backups [--data DIR] | tirkeu restore NAME [--yes] [--data DIR]\n';

export async function run(argv: string[], io: CliIo, command: 'backup' | 'backups' | 'restore'): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, yes: { type: 'boolean' } },
  });
  if (command === 'restore' && positionals.length !== 1) {
    io.stderr.write(USAGE);
    return 2;
  }
  const { app } = openApp({ dataDir: path.resolve(values.data ?? defaultDataDir(io.env)) });
  try {
    if (command === 'backup') {
      const b = await takeBackup(app, 'manual');
      pruneBackups(app);
      io.stdout.write(`${path.join(app.dataDir, 'backups', b.name)} (${b.bytes} bytes)\n`);
      return 0;
    }
    if (command === 'backups') {
      for (const b of listBackups(app)) io.stdout.write(`${b.takenAt}  ${b.kind.padEnd(14)} ${String(b.bytes).padStart(12)}  ${b.name}\n`);
      return 0;
    }
    const name = positionals[0]!;
    const p = await previewBackup(app, name);
    io.stdout.write(`                 backup      now\n`);
    for (const k of ['people', 'requests', 'staff', 'auditEntries', 'schemaVersion'] as const)
      io.stdout.write(`${k.padEnd(16)} ${String(p.contents[k]).padStart(8)} ${String(p.current[k]).padStart(8)}\n`);
    io.stdout.write(`${'lastAuditAt'.padEnd(16)} ${p.contents.lastAuditAt ?? '-'}  ${p.current.lastAuditAt ?? '-'}\n`);
    if (!values.yes) {
      io.stderr.write('Everything entered after the backup would be lost. Run again with --yes to restore.\n');
      return 2;
    }
    const r = await restoreBackupPausingSync(app, SYSTEM_ACTOR, name);
    io.stdout.write(`Restored ${r.restored.name}; the replaced database is kept as ${r.safetyCopy.name}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ApiError) {
      io.stderr.write(`tirkeu ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    closeApp(app);
  }
}
