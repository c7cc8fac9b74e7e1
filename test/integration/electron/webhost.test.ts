/** The web host guards a local port: loopback Host only, one-time link, JSON POSTs from its own origin. */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR } from '../../../electron/services/paths';
import { startWebHost, type WebHost } from '../../../electron/webhost';
import { createTestWorkstation, TEST_PASSWORD, type TestWorkstation } from '../../helpers/app';
import { ensureRendererBuilt } from '../../helpers/browser';
import { makeBigCrl } from '../../helpers/crl-writer';

let ws: TestWorkstation;
let host: WebHost;
beforeAll(async () => {
  await ensureRendererBuilt();
  ws = createTestWorkstation({ population: 20 });
  host = await startWebHost({ app: ws.app, staticDir: RENDERER_DIR });
});
afterAll(async () => {
  await host.close();
  ws.close();
});

function request(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

async function cookie(): Promise<string> {
  const link = new URL(host.issueLink());
  const r = await request(link.pathname + link.search);
  expect(r.status).toBe(303);
  const set = r.headers['set-cookie']![0]!;
  expect(set).toMatch(/HttpOnly/);
  expect(set).toMatch(/SameSite=Strict/);
  return set.split(';')[0]!;
}

describe('web host', () => {
  it('serves the app with a strict CSP only after the one-time link', async () => {
    expect((await request('/')).status).toBe(403);
    const c = await cookie();
    const page = await request('/', { headers: { cookie: c } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const c = await cookie();
    expect((await request('/', { headers: { cookie: c, host: 'evil.example:80' } })).status).toBe(421);
  });

  it('takes API calls only as same-origin JSON POSTs, through the same role checks', async () => {
    const c = await cookie();
    const json = { cookie: c, 'content-type': 'application/json' };
    expect((await request('/api/session.current', { method: 'GET', headers: { cookie: c } })).status).toBe(405);
    expect(
      (await request('/api/session.login', { method: 'POST', headers: { cookie: c, 'content-type': 'text/plain' }, body: '{}' })).status,
    ).toBe(415);
    expect(
      (await request('/api/session.login', { method: 'POST', headers: { ...json, origin: 'http://evil.example' }, body: '{}' })).status,
    ).toBe(403);
    const bad = await request('/api/session.login', { method: 'POST', headers: json, body: '{not json' });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'validation' } });
    const login = await request('/api/session.login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ login: 'registrar', password: TEST_PASSWORD }),
    });
    expect(JSON.parse(login.body)).toMatchObject({ ok: true, value: { staff: { role: 'registrar' } } });
    const forbidden = await request('/api/staff.list', { method: 'POST', headers: json, body: '{}' });
    expect(JSON.parse(forbidden.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('does not serve files outside the renderer folder', async () => {
    const c = await cookie();
    const r = await request('/..%2f..%2fpackage.json', { headers: { cookie: c } });
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('"name": "tirkeu"');
  });

  it('takes a national-size CRL (megabytes) for the trust files from the Administration screen', async () => {
    const c = await cookie();
    const json = { cookie: c, 'content-type': 'application/json' };
    const login = await request('/api/session.login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ login: 'admin', password: TEST_PASSWORD }),
    });
    expect(JSON.parse(login.body)).toMatchObject({ ok: true });
    const big = makeBigCrl(100_000, { at: ws.app.clock() });
    expect(big.crlDer.length).toBeGreaterThan(2 * 1024 * 1024);
    const add = (fileName: string, der: Buffer) =>
      request('/api/trustFiles.add', { method: 'POST', headers: json, body: JSON.stringify({ fileName, base64: der.toString('base64') }) });
    expect(JSON.parse((await add('ca.cer', big.caDer)).body)).toMatchObject({ ok: true });
    const r = JSON.parse((await add('national.crl', big.crlDer)).body);
    expect(r).toMatchObject({ ok: true });
    expect(r.value.crls).toEqual([expect.objectContaining({ name: 'national.crl', entries: 100_000, state: 'current' })]);
  });

  // Last: the 413 answer closes its connection, which the shared keep-alive agent would otherwise hand to the next test.
  it('takes a scanned document larger than the 2 MB of any other call, and only for that method', async () => {
    const c = await cookie();
    const json = { cookie: c, 'content-type': 'application/json' };
    const login = await request('/api/session.login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ login: 'registrar', password: TEST_PASSWORD }),
    });
    expect(JSON.parse(login.body)).toMatchObject({ ok: true });
    const png = Buffer.alloc(3 * 1024 * 1024);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    const body = JSON.stringify({
      serviceId: 'home-visit',
      documentId: 'identity-document',
      fileName: 'id.png',
      dataBase64: png.toString('base64'),
    });
    const scan = await request('/api/deskForms.addScan', { method: 'POST', headers: json, body });
    expect(JSON.parse(scan.body)).toMatchObject({ ok: true, value: { fileName: 'id.png', size: png.length, mediaType: 'image/png' } });
    expect((await request('/api/session.current', { method: 'POST', headers: json, body })).status).toBe(413);
  });
});
