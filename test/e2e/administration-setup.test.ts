/**
 * The clinic set-up on the Administration screen in the real renderer (issue 16): the administrator types the
 * SoftHSM2 module's path, saves it and runs the token check, which lists the real token with its certificates and
 * says in words which key can sign and which cannot; loads the test CA and its CRL, and sees a file that is no
 * certificate refused next to the file field; imports the organization's key file and sees its subject and BIN.
 * Screenshots at 1366×768 in kk and ru.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { createTestPki, type TestPki } from '../helpers/pki';
import { createSoftHsm, type SoftHsm } from '../helpers/softhsm';

const TOKEN = 'Тіркеуші токені';
const ORG_PASSWORD = 'Ұйым-кілті 9';
let s: BrowserSession;
let pki: TestPki;
let hsm: SoftHsm;
let orgP12: string;

beforeAll(async () => {
  s = await startBrowserSession({ population: 20 });
  pki = createTestPki({ clock: s.ws.app.clock });
  // Made before the module's first use in this process: SoftHSM reads its configuration once.
  hsm = createSoftHsm([
    {
      label: TOKEN,
      pin: '11223344',
      keys: [
        { id: '01', label: 'signing', key: pki.certs.physician.key, cert: pki.certs.physician.cert },
        { id: '02', label: 'auth', key: pki.certs.physicianAuth.key, cert: pki.certs.physicianAuth.cert },
      ],
    },
    { label: 'Бос токен', pin: '99887766', keys: [] },
  ]);
  s.ws.app.db.prepare('UPDATE organization SET bin = ?').run(pki.organizationBin);
  orgP12 = path.join(pki.dir, 'organization.p12');
  pki.openssl(
    [
      'pkcs12',
      '-export',
      '-inkey',
      pki.certs.organization.key,
      '-in',
      pki.certs.organization.cert,
      '-name',
      'org',
      '-passout',
      'stdin',
      '-out',
      orgP12,
    ],
    { input: `${ORG_PASSWORD}\n` },
  );
}, 240_000);
afterAll(async () => {
  await s?.close();
  hsm?.cleanup();
  pki?.cleanup();
});

describe('clinic set-up on the Administration screen', () => {
  it('configures the module and checks the token, loads trust files, imports the answer key', { timeout: 180_000 }, async () => {
    const { page, context } = await s.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await logIn(page, 'admin');
    await page.goto(`${s.host.url}/#/administration`);
    const tokens = page.locator('[data-test="admin-tokens"]');
    await tokens.waitFor();

    // Nothing configured yet: the check says so in words.
    await tokens.locator('[data-test="token-check"]').click();
    await tokens.locator('[data-test="token-result"]').waitFor();
    expect(await tokens.locator('[data-test="token-finding"]').first().getAttribute('data-code')).toBe('no-modules');
    expect(await tokens.locator('[data-test="token-result"]').textContent()).toMatch(/Бірде-бір PKCS#11 кітапханасы бапталмаған/);

    await tokens.locator('[data-test="token-modules"]').fill(hsm.module);
    await tokens.locator('[data-test="token-modules-save"]').click();
    await tokens.locator('[role="status"]').filter({ hasText: 'сақталды' }).waitFor();
    await tokens.locator('[data-test="token-check"]').click();
    await expect.poll(() => tokens.locator('[data-test="token-result"]').getAttribute('data-ready')).toBe('true');
    const result = tokens.locator('[data-test="token-result"]');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('Токен дайын: қол қоюға болады.');
    expect(text).toContain(`«${TOKEN}» токені:`);
    expect(text).toMatch(/қол қоюға дайын/);
    // The empty token is named as a fault; the authentication key beside the signing one is information.
    expect(await result.locator('[data-code="no-certificate"]').textContent()).toContain('«Бос токен» токенінде тіркеу куәлігі жоқ');
    expect(await result.locator('[data-code="certificate-not-for-signing"]').getAttribute('data-severity')).toBe('info');
    expect(await result.locator('[data-problem="certificate-not-for-signing"]').count()).toBe(1);
    expect(await result.locator('[data-problem="none"]').count()).toBe(1);
    await tokens.scrollIntoViewIfNeeded();
    await screenshot(page, 'administration-token-check-kk-1366');

    // Trust files: the CA and its CRL; a text file is refused next to the field, naming the file.
    const trust = page.locator('[data-test="admin-trust"]');
    await trust.scrollIntoViewIfNeeded();
    await trust.locator('[data-test="trust-file"]').setInputFiles(pki.caCert);
    await trust.locator('[data-test="trust-add"]').click();
    await trust.locator('[data-test="trust-certificates"] tbody tr').waitFor();
    await trust.locator('[data-test="trust-file"]').setInputFiles(pki.crl);
    await trust.locator('[data-test="trust-add"]').click();
    await trust.locator('[data-test="trust-crls"] tbody tr').waitFor();
    expect(await trust.locator('[data-test="trust-crls"] tbody tr').getAttribute('data-state')).toBe('current');
    await trust
      .locator('[data-test="trust-file"]')
      .setInputFiles({ name: 'readme.txt', mimeType: 'text/plain', buffer: Buffer.from('not a certificate') });
    await trust.locator('[data-test="trust-add"]').click();
    expect(await trust.locator('[data-test="trust-error"]').textContent()).toBe(
      '«readme.txt» файлы: бұл тіркеу куәлігі де, кері қайтару тізімі де емес.',
    );
    await screenshot(page, 'administration-trust-kk-1366');

    // The answer key, in Russian: a wrong password is refused at the password field, the right one shows the BIN.
    await page.locator('[data-lang="ru"]').click();
    const key = page.locator('[data-test="admin-answer-key"]');
    await key.scrollIntoViewIfNeeded();
    expect(await key.locator('[data-test="answer-key-none"]').textContent()).toContain('Ключ для ответов не настроен');
    await key.locator('[data-test="key-file"]').setInputFiles(orgP12);
    await key.locator('[data-test="key-secret"]').fill('не тот пароль');
    await key.locator('[data-test="key-import"]').click();
    await key.locator('[data-test="key-error"]').waitFor();
    expect(await key.locator('[data-test="key-secret"]').getAttribute('aria-invalid')).toBe('true');
    await key.locator('[data-test="key-secret"]').fill(ORG_PASSWORD);
    await key.locator('[data-test="key-import"]').click();
    await key.locator('[data-test="key-notice"]').waitFor();
    expect(await key.locator('[data-test="answer-key-bin"]').textContent()).toBe(pki.organizationBin);
    expect(await key.locator('[data-test="answer-key-status"]').getAttribute('data-ok')).toBe('true');
    // The page never holds the password or the file once imported.
    expect(await page.content()).not.toContain(ORG_PASSWORD);
    await key.scrollIntoViewIfNeeded();
    await screenshot(page, 'administration-answer-key-ru-1366');
    expect(await key.locator('[data-test="policy-link"]').getAttribute('href')).toBe('#/erequests');
    expect(fs.existsSync(hsm.module)).toBe(true);
    await context.close();
  });
});
