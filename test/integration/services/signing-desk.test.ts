import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../db/audit';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';
import { setUpPhysicianToken, TOKEN_LABEL, TOKEN_PIN, type DeskPki } from '../../helpers/signing-desk';

let ws: TestWorkstation;
let desk: DeskPki;
beforeAll(() => {
  ws = createTestWorkstation({ population: 10 });
  desk = setUpPhysicianToken(ws.app);
});
afterAll(() => {
  ws?.close();
  desk?.cleanup();
});

const token = () => ({ kind: 'pkcs11' as const, module: desk.hsm.module, token: TOKEN_LABEL });

describe('signing at the workstation', () => {
  it('lists the configured module’s token and its keys, marking the authentication key unusable', async () => {
    const doc = await ws.as('therapist');
    const sources = await doc.call('signing.sources', {});
    expect(sources).toMatchObject([{ module: desk.hsm.module, available: true, tokens: [{ label: TOKEN_LABEL }] }]);
    const keys = await doc.call('signing.listKeys', { source: token(), secret: null, as: 'self' });
    expect(keys.find((k) => k.keyId === '01')).toMatchObject({ problem: null, certificate: { iin: desk.pki.physicianIin, canSign: true } });
    expect(keys.find((k) => k.keyId === '02')).toMatchObject({ problem: 'key-usage' });
  });

  it('signs and verifies a check document with the physician’s own certificate; the PIN is not in the audit log', async () => {
    const doc = await ws.as('therapist');
    const res = await doc.call('signing.check', { source: token(), keyId: '01', secret: TOKEN_PIN });
    expect(res).toMatchObject({ verified: true, certificate: { iin: desk.pki.physicianIin } });
    const entries = listAudit(ws.app.db, { limit: 5 });
    expect(entries[0]).toMatchObject({ action: 'signing.checked' });
    expect(JSON.stringify(entries)).not.toContain(TOKEN_PIN);
    expect(readFileSync(`${ws.dir}/tirkeu.sqlite`).includes(Buffer.from(TOKEN_PIN))).toBe(false);
  });

  it('a wrong PIN is a clear error and signs nothing', async () => {
    const doc = await ws.as('therapist');
    const before = listAudit(ws.app.db, { limit: 1000 }).filter((a) => a.action === 'signing.checked').length;
    const r = await doc.raw('signing.check', { source: token(), keyId: '01', secret: '0000' });
    expect(r).toMatchObject({ ok: false, error: { code: 'pin-incorrect' } });
    expect(listAudit(ws.app.db, { limit: 1000 }).filter((a) => a.action === 'signing.checked').length).toBe(before);
    // SoftHSM counts failures; a right PIN afterwards still works.
    expect(await doc.raw('signing.check', { source: token(), keyId: '01', secret: TOKEN_PIN })).toMatchObject({ ok: true });
  });

  it('another physician cannot sign with this certificate (IIN mismatch)', async () => {
    const gp = await ws.as('gp');
    expect(await gp.raw('signing.check', { source: token(), keyId: '01', secret: TOKEN_PIN })).toMatchObject({
      ok: false,
      error: { code: 'signer-mismatch' },
    });
  });

  it('a cashier and a nurse cannot sign at all, and no one can load a module the administrator did not configure', async () => {
    const cashier = await ws.as('cashier');
    expect(await cashier.raw('signing.check', { source: token(), keyId: '01', secret: TOKEN_PIN })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const nurse = await ws.as('nurse');
    expect(await nurse.raw('signing.sources', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const doc = await ws.as('therapist');
    expect(
      await doc.raw('signing.listKeys', { source: { kind: 'pkcs11', module: '/tmp/evil.so', token: 'x' }, secret: null }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('signs with a PKCS#12 key file sent as bytes', async () => {
    const doc = await ws.as('therapist'); // the test key file holds the same physician's certificate
    const source = { kind: 'pkcs12' as const, fileName: 'key.p12', fileBase64: readFileSync(desk.pki.p12.path).toString('base64') };
    expect(await doc.raw('signing.listKeys', { source, secret: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'password-incorrect' },
    });
    const keys = await doc.call('signing.listKeys', { source, secret: desk.pki.p12.password, as: 'self' });
    expect(keys[0]).toMatchObject({ provider: 'pkcs12', problem: null });
    expect(await doc.call('signing.check', { source, keyId: keys[0]!.keyId, secret: desk.pki.p12.password })).toMatchObject({
      verified: true,
    });
  });
});
