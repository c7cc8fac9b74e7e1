import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, listAudit, SYSTEM_ACTOR, verifyAudit } from '../../../db/audit';
import { recordChange } from '../../../db/change';
import { openDatabase } from '../../../db/connection';
import { listOutbox } from '../../../db/outbox';
import { setSetting } from '../../../db/settings';
import { tempDir } from '../../helpers/app';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function db() {
  const d = tempDir('tirkeu-audit-');
  dirs.push(d);
  return openDatabase(path.join(d, 'a.sqlite')).db;
}
const actor = { staffId: 7, login: 'registrar', role: 'registrar' };

describe('audit log', () => {
  it('chains entries and verifies them', () => {
    const d = db();
    for (let i = 0; i < 20; i++) appendAudit(d, actor, { action: 'x.did', entity: 'x', entityId: i, details: { i } }, new Date());
    expect(verifyAudit(d)).toEqual({ ok: true, rows: 20 });
    expect(listAudit(d, { limit: 1 })[0]).toMatchObject({
      id: 20,
      login: 'registrar',
      role: 'registrar',
      action: 'x.did',
      details: { i: 19 },
    });
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const d = db();
    appendAudit(d, actor, { action: 'a' }, new Date());
    expect(() => d.prepare("UPDATE audit_log SET action = 'b'").run()).toThrow(/append-only/);
    expect(() => d.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('names the first broken link when history is edited behind the triggers', () => {
    const d = db();
    for (let i = 0; i < 10; i++) appendAudit(d, actor, { action: 'step', details: { i } }, new Date());
    d.exec('DROP TRIGGER audit_log_no_update');
    d.prepare(`UPDATE audit_log SET details = '{"i":99}' WHERE id = 4`).run();
    expect(verifyAudit(d)).toEqual({ ok: false, rows: 3, brokenAt: 4, reason: 'hash-mismatch' });
  });

  it('notices a deleted entry', () => {
    const d = db();
    for (let i = 0; i < 5; i++) appendAudit(d, actor, { action: 'step' }, new Date());
    d.exec('DROP TRIGGER audit_log_no_delete');
    d.prepare('DELETE FROM audit_log WHERE id = 3').run();
    expect(verifyAudit(d)).toMatchObject({ ok: false, brokenAt: 3, reason: 'gap' });
  });
});

describe('a recorded change', () => {
  it('writes the domain row, the audit entry and the outbox operation together', () => {
    const d = db();
    recordChange(d, actor, new Date(), () => setSetting(d, 'k', 1), {
      audit: { action: 'setting.set' },
      outbox: { kind: 'setting', entity: 'setting', entityId: 'k', payload: { v: 1 } },
    });
    expect(listAudit(d)).toHaveLength(1);
    expect(listOutbox(d)).toMatchObject([{ kind: 'setting', entityId: 'k', payload: { v: 1 }, status: 'pending' }]);
  });

  it('writes nothing at all when the change fails half-way', () => {
    const d = db();
    expect(() =>
      recordChange(
        d,
        SYSTEM_ACTOR,
        new Date(),
        () => {
          setSetting(d, 'k', 1);
          throw new Error('boom');
        },
        { audit: { action: 'never' }, outbox: { kind: 'x', entity: 'x', entityId: 1, payload: {} } },
      ),
    ).toThrow('boom');
    expect(d.prepare('SELECT count(*) AS n FROM setting').get()).toEqual({ n: 0 });
    expect(listAudit(d)).toHaveLength(0);
    expect(listOutbox(d)).toHaveLength(0);
  });
});
