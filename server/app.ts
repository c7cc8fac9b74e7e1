/**
 * The central server's HTTP API (Fastify). Every /v1/sync route needs a workstation's bearer credential and a
 * protocol version the server still speaks; an older workstation gets 426 and keeps its operations.
 *
 *   GET  /v1/health                     liveness and server time (no credential)
 *   POST /v1/enroll {code, name?}       one-time code → the workstation's own credential
 *   POST /v1/sync/push                  a batch of operations → per-operation results
 *   GET  /v1/sync/pull?cursor=&limit=   one page of the organization's change log
 *   POST /v1/erequests/claim {numbers}  leases new e-requests to this workstation: granted, taken, done (issue 13)
 *   POST /v1/gateway/requests           the portal gateway posts a citizen's signed e-request (gateway credential)
 *   GET  /v1/gateway/requests/{number}  what the citizen's screen shows: status, deadline, signed result or refusal
 *   POST /v1/gateway/requests/{number}/survey  the citizen's answers to the quality survey {q1, q2} (gateway-survey.ts)
 *   GET  /v1/gateway/slots?org=&specialty=|doctor=&from=&to=   free appointment times (server/slots.ts)
 *   GET  /v1/updates/{file}             a published update: latest*.yml, release notes, the installers they list
 *   GET  /v1/verifications/checks       the organization's documents checked on the public page, with their counts
 *   GET  /v/{number}/{code}             the public page of a printed document (server/verify-page.ts, no credential)
 *   /admin/…                            loopback only, with the admin token from the data folder (server CLI)
 */
import { parseSurveyBody, recordPortalSurvey } from './gateway-survey';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { HEADER_PROTOCOL, HEADER_SCHEMA, LIMITS, SYNC_PROTOCOL, type UpdateRequiredBody } from '../common/sync-protocol';
import { isTransientDbError, type ServerDb } from './db';
import { systemClock, type Clock } from '../common/clock';
import {
  authenticateGateway,
  createGatewayCredential,
  GATEWAY_MAX_BYTES,
  GatewayRequestError,
  getRequestView,
  submitRequest,
} from './gateway';
import {
  authenticate,
  createEnrollmentCode,
  enroll,
  listWorkstations,
  noteWorkstationSeen,
  previewEnrollment,
  revokeWorkstation,
  type Workstation,
} from './enrollment';
import { publishReference, push, PushRequestError, type PushOptions } from './push';
import { pull } from './pull';
import { AuditForkedError } from './audit-head';
import type { OrgProfile } from '../common/organization';
import { claimErequests, readClaimBody } from './erequest-leases';
import { freeSlotsFor, parseSlotQuery, SlotQueryError } from './slots';
import { EREQUEST_LEASE_MS } from '../common/erequests';
import { registerUpdateRoutes } from './updates';
import { registerVerifyPage, type RateLimit } from './verify-page';
import { CheckCounter, checkCounts } from './verification';

export interface ServerAppOptions {
  db: ServerDb;
  /** Oldest workstation protocol accepted (default: the current one). */
  minProtocol?: number;
  /** Oldest workstation database schema accepted (default 0: any). */
  minSchema?: number;
  /** Token for /admin routes (loopback only); null disables them. */
  adminToken?: string | null;
  https?: { cert: Buffer; key: Buffer } | null;
  logger?: boolean;
  /** Test hooks. */
  pushOptions?: PushOptions;
  /** The server's one clock: receive times, enrollment expiry, the gateway's receipt time (clause-9 cut-offs). */
  clock?: Clock;
  /** How long a claimed e-request stays with the claiming workstation without a registration (ms). */
  erequestLeaseMs?: number;
  /** The folder of published application updates (server/updates.ts); absent = none published. */
  updatesDir?: string | null;
  /** The public verification page's limit per client address (default: a burst of 20, one a second after). */
  verifyRateLimit?: RateLimit;
}

declare module 'fastify' {
  interface FastifyRequest {
    workstation?: Workstation;
    gatewayClient?: string;
  }
}

/**
 * True for a loopback IP literal only (127.0.0.0/8, ::1, and 127.x mapped into IPv6): a host *name* such as
 * `127.attacker.example` is not loopback, whatever it starts with (issue 14).
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return isIPv6(address) && (address === '::1' || address === '0:0:0:0:0:0:0:1');
}

export function buildServer(options: ServerAppOptions): FastifyInstance {
  const { db } = options;
  const minProtocol = options.minProtocol ?? SYNC_PROTOCOL;
  const minSchema = options.minSchema ?? 0;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger ? { level: 'info', redact: ['req.headers.authorization', 'req.headers["x-tirkeu-admin"]'] } : false,
    bodyLimit: LIMITS.pushMaxBytes + 64 * 1024,
    ...(options.https ? { https: options.https } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    if (error instanceof SlotQueryError)
      return reply.code(error.status).send({ error: error.code, parameter: error.parameter, message: error.message });
    if (error instanceof GatewayRequestError) return reply.code(error.status).send({ error: error.code, message: error.message });
    if (error instanceof AuditForkedError) {
      app.log.warn({ workstation: req.workstation?.id, reason: error.reason, err: error.message }, 'audit log forked: batch refused');
      return reply.code(409).send(error.body());
    }
    if (error instanceof PushRequestError) return reply.code(error.status).send({ error: 'bad-request', message: error.message });
    if (error.statusCode && error.statusCode < 500)
      return reply.code(error.statusCode).send({ error: 'bad-request', message: error.message });
    if (isTransientDbError(error)) {
      app.log.warn({ err: error.message }, 'transient database fault');
      return reply.code(503).header('retry-after', '1').send({ error: 'unavailable', message: 'the database is unavailable; retry' });
    }
    app.log.error({ err: error.message }, 'internal error');
    return reply.code(500).send({ error: 'internal', message: 'internal server error' });
  });

  app.get('/v1/health', async () => ({ ok: true, server_time: clock().toISOString(), protocol: SYNC_PROTOCOL }));

  app.post('/v1/enroll/preview', async (req, reply) => {
    const body = req.body as { code?: unknown } | null;
    if (!body || typeof body.code !== 'string' || body.code.length > 64)
      return reply.code(400).send({ error: 'bad-request', message: 'expected {code}' });
    const result = await previewEnrollment(db, body.code, clock());
    if (!result) return reply.code(403).send({ error: 'invalid-code', message: 'the enrollment code is wrong, used or expired' });
    return result;
  });

  app.post('/v1/enroll', async (req, reply) => {
    const body = req.body as { code?: unknown; name?: unknown; expect_bin?: unknown; previous_credential?: unknown } | null;
    if (!body || typeof body.code !== 'string' || body.code.length > 64)
      return reply.code(400).send({ error: 'bad-request', message: 'expected {code}' });
    const expectBin = typeof body.expect_bin === 'string' ? body.expect_bin : null;
    const previous = typeof body.previous_credential === 'string' ? { credential: body.previous_credential } : null;
    const result = await enroll(
      db,
      body.code,
      typeof body.name === 'string' ? body.name.slice(0, 100) : undefined,
      clock(),
      expectBin,
      previous,
    );
    if (!result) return reply.code(403).send({ error: 'invalid-code', message: 'the enrollment code is wrong, used or expired' });
    if (result === 'org-mismatch')
      return reply.code(409).send({ error: 'org-mismatch', message: 'the enrollment code is for another organization' });
    return result;
  });

  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    const protocol = Number(req.headers[HEADER_PROTOCOL] ?? 0);
    const schemaHeader = req.headers[HEADER_SCHEMA];
    const schema = schemaHeader === undefined ? null : Number(schemaHeader);
    if (!Number.isInteger(protocol) || protocol < minProtocol || (schema !== null && schema < minSchema)) {
      const body: UpdateRequiredBody = {
        error: 'update-required',
        message: `This workstation's Tirkeu is too old for the central server (protocol ${protocol}, schema ${schema ?? '?'}; the server needs protocol ${minProtocol}, schema ${minSchema} or newer). Update Tirkeu; the queued operations are kept and will be sent after the update.`,
        min_protocol: minProtocol,
        min_schema: minSchema,
      };
      return reply.code(426).header('upgrade', 'Tirkeu').send(body);
    }
    const auth = req.headers.authorization;
    const ws = auth?.startsWith('Bearer ') ? await authenticate(db, auth.slice(7).trim()) : null;
    if (!ws)
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'unknown or revoked workstation credential' });
    req.workstation = ws;
    void noteWorkstationSeen(db, ws, protocol, schema, clock()).catch(() => undefined);
  };

  app.post('/v1/sync/push', { preHandler: guard }, async (req) => {
    return push(db, req.workstation!, req.body, { ...options.pushOptions, clock });
  });

  app.get('/v1/sync/pull', { preHandler: guard }, async (req, reply) => {
    const q = req.query as { cursor?: string; limit?: string };
    const limit = q.limit ? Number(q.limit) : LIMITS.pullMaxRows;
    if (!Number.isInteger(limit) || limit < 1)
      return reply.code(400).send({ error: 'bad-request', message: 'limit must be a positive integer' });
    const body = await pull(db, req.workstation!, q.cursor, limit, clock());
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.post('/v1/erequests/claim', { preHandler: guard }, async (req) => {
    const numbers = readClaimBody(req.body);
    return claimErequests(db, req.workstation!, numbers, clock(), options.erequestLeaseMs ?? EREQUEST_LEASE_MS);
  });

  registerUpdateRoutes(app, options.updatesDir, guard);

  // Issue 19: the public page of every printed document, and the check counts for the organization's desks.
  const checks = new CheckCounter(db);
  app.addHook('onClose', async () => checks.flush().catch(() => undefined));
  registerVerifyPage(app, db, checks, clock, options.verifyRateLimit);
  app.get('/v1/verifications/checks', { preHandler: guard }, async (req) => ({
    documents: await checkCounts(db, checks, req.workstation!.orgBin),
  }));

  // The portal gateway: a signed request as raw DER/PEM (application/pkcs7-mime, application/octet-stream) or
  // JSON {cms: base64}.
  const rawParser = (_req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => done(null, body);
  app.addContentTypeParser(
    ['application/pkcs7-mime', 'application/pkcs7-signature', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: GATEWAY_MAX_BYTES },
    rawParser,
  );
  const gateway = async (req: FastifyRequest, reply: FastifyReply) => {
    const auth = req.headers.authorization;
    const id = auth?.startsWith('Bearer ') ? await authenticateGateway(db, auth.slice(7).trim()) : null;
    if (!id)
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'unknown or revoked gateway credential' });
    req.gatewayClient = id;
  };
  app.post('/v1/gateway/requests', { preHandler: gateway }, async (req, reply) => {
    let bytes: Uint8Array | null = null;
    if (Buffer.isBuffer(req.body)) bytes = req.body;
    else if (req.body && typeof (req.body as { cms?: unknown }).cms === 'string')
      bytes = Buffer.from((req.body as { cms: string }).cms, 'utf8');
    if (!bytes) return reply.code(400).send({ error: 'bad-request', message: 'expected a signed request: DER/PEM body or JSON {cms}' });
    const r = await submitRequest(db, req.gatewayClient!, bytes, clock());
    return reply.code(r.duplicate ? 200 : 201).send(r);
  });
  app.get('/v1/gateway/requests/:number', { preHandler: gateway }, async (req, reply) => {
    const number = (req.params as { number: string }).number;
    const view = /^[\w-]{1,40}$/.test(number) ? await getRequestView(db, number, req.gatewayClient!) : null;
    if (!view) return reply.code(404).send({ error: 'not-found', message: `no request ${number}` });
    return view;
  });

  app.post('/v1/gateway/requests/:number/survey', { preHandler: gateway }, async (req, reply) => {
    const number = (req.params as { number: string }).number;
    if (!/^[\w-]{1,40}$/.test(number)) return reply.code(404).send({ error: 'not-found', message: `no request ${number}` });
    return reply.code(201).send(await recordPortalSurvey(db, req.gatewayClient!, number, parseSurveyBody(req.body), clock()));
  });

  // Free appointment times for the portal (Astana appendix 2, cl. 9): doctors and times only, no personal data.
  app.get('/v1/gateway/slots', { preHandler: gateway }, async (req) =>
    freeSlotsFor(db, parseSlotQuery((req.query ?? {}) as Record<string, unknown>), clock()),
  );

  if (options.adminToken) {
    const token = Buffer.from(options.adminToken);
    const admin = async (req: FastifyRequest, reply: FastifyReply) => {
      const given = Buffer.from(String(req.headers['x-tirkeu-admin'] ?? ''));
      if (!isLoopback(req.socket.remoteAddress) || given.length !== token.length || !timingSafeEqual(given, token))
        return reply.code(403).send({ error: 'forbidden', message: 'admin routes are for the server CLI on this machine' });
    };
    app.post('/admin/enroll-code', { preHandler: admin }, async (req) => {
      const b = req.body as { org: string; name?: string; ttlHours?: number; profile?: OrgProfile };
      return createEnrollmentCode(db, { orgBin: b.org, name: b.name, ttlHours: b.ttlHours, now: clock(), profile: b.profile });
    });
    app.post('/admin/gateway-credential', { preHandler: admin }, async (req) =>
      createGatewayCredential(db, (req.body as { name?: string } | null)?.name ?? ''),
    );
    app.post('/admin/revoke', { preHandler: admin }, async (req) => ({
      revoked: await revokeWorkstation(db, (req.body as { id: string }).id, clock()),
    }));
    app.post('/admin/workstations', { preHandler: admin }, async (req) => listWorkstations(db, (req.body as { org?: string } | null)?.org));
    // One chunk of a publish per request: the server CLI splits a large publish (see publishChunks).
    app.post('/admin/publish', { preHandler: admin }, async (req, reply) => {
      const b = req.body as { org: string; rows: Array<{ kind: string; key: string; payload: unknown; deleted?: boolean }> };
      if (Array.isArray(b?.rows) && b.rows.length > LIMITS.publishMaxRows)
        return reply
          .code(413)
          .send({ error: 'too-large', message: `rows: at most ${LIMITS.publishMaxRows} per request; send the publish in chunks` });
      return { published: await publishReference(db, b?.org, b?.rows) };
    });
  }

  return app;
}
