/**
 * The same renderer and API over HTTP on 127.0.0.1, for machines without Electron or a display, for the
 * browser tests and for demos.
 *
 * Guarding a local port: only loopback is bound; the Host header must name it (no DNS rebinding); the first
 * request must carry the one-time token printed at start, which is exchanged for an HttpOnly SameSite=Strict
 * cookie and then forgotten; API calls must be JSON POSTs from our own origin. Behind that, the API goes
 * through the same dispatcher as Electron IPC, so validation and role checks are identical.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { MAX_SCAN_BYTES } from '../common/desk-forms';
import { CONTENT_SECURITY_POLICY } from './csp';
import type { AppContext } from './services/app';
import type { SessionSlot } from './services/auth';
import { registerLinkIssuer } from './services/admin/login-links';
import { dispatch } from './services/dispatcher';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

const COOKIE = 'tirkeu_session';
const MAX_BODY = 2 * 1024 * 1024;
/** A scanned document travels as base64 in one call (common/desk-forms.ts: at most 10 MB as bytes). */
const MAX_SCAN_BODY = Math.ceil((MAX_SCAN_BYTES * 4) / 3) + 64 * 1024;
/**
 * A national CRL (hundreds of thousands of entries, tens of megabytes) travels as base64 in one call too: the
 * contract's own limit on it (common/api/clinic-setup.ts, erequests.ts) is the body limit here.
 */
const MAX_TRUST_FILE_BODY = 50_000_000 + 64 * 1024;
const LARGE_BODY_METHODS: ReadonlyMap<string, number> = new Map([
  ['deskForms.addScan', MAX_SCAN_BODY],
  ['trustFiles.add', MAX_TRUST_FILE_BODY],
  ['erequests.addTrustFile', MAX_TRUST_FILE_BODY],
]);

export interface WebHostOptions {
  app: AppContext;
  /** Built renderer (vite build output). */
  staticDir: string;
  port?: number;
  host?: string;
}

export interface WebHost {
  url: string;
  port: number;
  /** A fresh one-time login link (each browser profile needs its own). */
  issueLink(): string;
  close(): Promise<void>;
}

function unauthorizedPage(): string {
  return `<!doctype html><meta charset="utf-8"><title>Tirkeu</title><body style="font:16px system-ui;margin:3em;max-width:40em">
<h1>Тіркеу</h1><p>Бағдарламаны <code>npm start</code> басып шығарған сілтеме арқылы ашыңыз.</p>
<p>Откройте программу по ссылке, которую напечатал <code>npm start</code>.</p>
<p>Open the application with the link printed by <code>npm start</code>.</p></body>`;
}

function securityHeaders(res: http.ServerResponse) {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()');
}

function readCookie(req: http.IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { app } = options;
  const staticDir = path.resolve(options.staticDir);
  const hostName = options.host ?? '127.0.0.1';
  const oneTimeTokens = new Set<string>();
  const sessions = new Map<string, SessionSlot>();
  let port = 0;

  const server = http.createServer(async (req, res) => {
    securityHeaders(res);
    try {
      const hostHeader = req.headers.host ?? '';
      if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}` && hostHeader !== `[::1]:${port}`) {
        res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
        return;
      }
      const url = new URL(req.url ?? '/', `http://${hostHeader}`);

      const token = url.searchParams.get('token');
      if (token !== null && req.method === 'GET') {
        if (oneTimeTokens.delete(token)) {
          const sid = randomBytes(32).toString('base64url');
          sessions.set(sid, { staffId: null });
          res.setHeader('Set-Cookie', `${COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/`);
          url.searchParams.delete('token');
          res.writeHead(303, { location: url.pathname + (url.search || '') }).end();
        } else {
          res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end(unauthorizedPage());
        }
        return;
      }

      const sid = readCookie(req, COOKIE);
      const slot = sid ? sessions.get(sid) : undefined;
      if (!slot) {
        res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end(unauthorizedPage());
        return;
      }

      if (url.pathname.startsWith('/api/')) {
        await handleApi(req, res, url, slot);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      serveStatic(res, url.pathname);
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      app.log.error('webhost.error', { status, error: (error as Error).message });
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
      res.end();
    }
  });

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, slot: SessionSlot) {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    // A JSON content type cannot be sent cross-site without a CORS pre-flight, which this host never answers.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      res.writeHead(415).end();
      return;
    }
    const origin = req.headers.origin;
    if (origin && origin !== `http://${req.headers.host}`) {
      res.writeHead(403).end();
      return;
    }
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    let args: unknown;
    try {
      const body = await readBody(req, LARGE_BODY_METHODS.get(method) ?? MAX_BODY);
      args = body ? JSON.parse(body) : {};
    } catch (error) {
      if ((error as { status?: number }).status === 413) throw error;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok: false, error: { code: 'validation', message: 'the request body is not JSON' } }));
      return;
    }
    const result = await dispatch(app, slot, method, args);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(result));
  }

  function serveStatic(res: http.ServerResponse, pathname: string) {
    let rel = decodeURIComponent(pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(staticDir, '.' + path.posix.normalize(rel));
    if (!file.startsWith(staticDir + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    let target = file;
    if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
      if (path.extname(rel)) {
        res.writeHead(404).end();
        return;
      }
      target = path.join(staticDir, 'index.html'); // history routes fall back to the app
    }
    const type = MIME[path.extname(target)] ?? 'application/octet-stream';
    const immutable = target.includes(`${path.sep}assets${path.sep}`);
    res.writeHead(200, { 'content-type': type, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
    fs.createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, hostName, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const issueLink = () => {
    const t = randomBytes(24).toString('base64url');
    oneTimeTokens.add(t);
    return `${base}/?token=${t}`;
  };
  // The Administration screen's "new link for another browser" (services/admin/login-links.ts).
  const unregister = registerLinkIssuer(app, issueLink);
  return {
    url: base,
    port,
    issueLink,
    close: () =>
      new Promise<void>((resolve) => {
        unregister();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
