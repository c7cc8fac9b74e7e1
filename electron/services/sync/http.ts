/**
 * A small HTTP(S) client for the sync loop (node:http, keep-alive, a hard timeout), so a dropped connection or a
 * silent server can never hang the loop. Plain Node: no Electron import. Extra CAs come from NODE_EXTRA_CA_CERTS.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 4 }), https: new https.Agent({ keepAlive: true, maxSockets: 4 }) };

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export async function request(method: 'GET' | 'POST', url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const r = await requestBytes(method, url, options);
  return { status: r.status, headers: r.headers, body: r.body.toString('utf8') };
}

/** The same request with the body as bytes (an update installer: electron/services/updates). */
export function requestBytes(
  method: 'GET' | 'POST',
  url: string,
  options: RequestOptions & { maxBytes?: number } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new NetworkError(`not a URL: ${url}`));
      return;
    }
    const secure = u.protocol === 'https:';
    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    const req = (secure ? https : http).request(
      u,
      {
        method,
        agent: secure ? agents.https : agents.http,
        headers: {
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (options.maxBytes !== undefined && received > options.maxBytes)
            req.destroy(new NetworkError(`the answer is larger than ${options.maxBytes} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e) => reject(new NetworkError(e.message)));
        res.on('aborted', () => reject(new NetworkError('the response was cut off')));
      },
    );
    req.setTimeout(options.timeoutMs ?? 60_000, () => req.destroy(new NetworkError('the server did not answer in time')));
    req.on('error', (e) => reject(e instanceof NetworkError ? e : new NetworkError(e.message)));
    req.end(body);
  });
}

/** Loopback hosts may use plain HTTP; anything else must be HTTPS. */
export function checkServerUrl(raw: string): { ok: true; url: string } | { ok: false; reason: string } {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: 'the address must start with https://' };
  const loopback = u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\./.test(u.hostname);
  if (u.protocol === 'http:' && !loopback)
    return { ok: false, reason: 'plain http is allowed only for a server on this computer; use https://' };
  if (u.username || u.password || u.search || u.hash) return { ok: false, reason: 'the address must not carry credentials or a query' };
  return { ok: true, url: u.origin + u.pathname.replace(/\/+$/, '') };
}
