/** Handlers of the `backups.*`, `auditLog.*`, `populationImport.*` and `loginLinks.*` slice (common/api/maintenance.ts). */
import type { maintenanceApi } from '../../../common/api/maintenance';
import { checkAuditLog } from '../admin/audit-check';
import * as backups from '../admin/backups';
import { issueLoginLink } from '../admin/login-links';
import * as upload from '../admin/population-upload';
import { me, type SliceHandlers } from './context';

export const maintenanceHandlers: SliceHandlers<typeof maintenanceApi> = {
  'backups.list': (ctx) => ({
    backups: backups.listBackups(ctx.app),
    keepDays: backups.keepDays(ctx.app),
    folder: backups.backupsDir(ctx.app),
  }),
  'backups.take': async (ctx) => {
    const taken = await backups.takeBackup(ctx.app, 'manual');
    backups.pruneBackups(ctx.app);
    return taken;
  },
  'backups.setKeepDays': (ctx, a) => ({ keepDays: backups.setKeepDays(ctx.app, me(ctx), a.days) }),
  'backups.preview': (ctx, a) => backups.previewBackup(ctx.app, a.name),
  'backups.restore': async (ctx, a) => {
    const result = await backups.restoreBackupPausingSync(ctx.app, me(ctx), a.name);
    // The restored staff table may differ from the one this session logged in against: log in again.
    ctx.slot.staffId = null;
    ctx.slot.locked = false;
    return result;
  },

  'auditLog.check': (ctx) => checkAuditLog(ctx.app.db),

  'populationImport.begin': (ctx, a) => upload.beginUpload(ctx.app, a.fileName, a.bytes),
  'populationImport.chunk': (ctx, a) => upload.appendChunk(ctx.app, a.id, a.offset, a.data),
  'populationImport.start': (ctx, a) => upload.startImport(ctx.app, me(ctx), a.id, a.encoding),
  'populationImport.status': (ctx, a) => upload.uploadStatus(ctx.app, a.id),
  'populationImport.cancel': (ctx, a) => upload.cancelImport(ctx.app, a.id),
  'populationImport.rejectedRows': (ctx, a) => upload.rejectedRows(ctx.app, a.id, a.language),

  'loginLinks.issue': (ctx) => ({ url: issueLoginLink(ctx.app) }),
};
