/**
 * `npx tsx server/gateway-submit.ts` — plays the portal gateway for tests and demos (issue 8).
 *
 *   submit --server URL --credential CRED --cms FILE.p7s              post a signed request (DER or PEM)
 *   submit --server URL --credential CRED --json FILE.json --cert C.pem --key K.pem
 *                                                                      sign FILE.json with openssl (CAdES-BES,
 *                                                                      content encapsulated) and post it
 *   status --server URL --credential CRED NUMBER [--out DIR]           the citizen's screen; with --out, the
 *                                                                      answer's document and signature are saved
 *                                                                      (DIR/NUMBER.json, DIR/NUMBER.p7s) for
 *                                                                      `openssl cms -verify -binary -inform DER
 *                                                                       -in NUMBER.p7s -content NUMBER.json -CAfile ca.pem`
 *   slots --server URL --credential CRED --org BIN [--specialty S | --doctor LOGIN] [--from DATE --to DATE]
 *                                                                      the free times the portal offers, one a line
 *                                                                      in the organization's local time
 *
 * The credential comes from `npm run server:cli -- gateway-credential`; $TIRKEU_GATEWAY_CREDENTIAL works too.
 */
import { cmsSignArgs } from '../pki/openssl-cms';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { GatewayRequestView } from '../common/erequests';
import type { SlotsAnswer } from './slots';

export async function main(argv: string[], io: { out(s: string): void; err(s: string): void; env: NodeJS.ProcessEnv }): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      credential: { type: 'string' },
      cms: { type: 'string' },
      json: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string' },
      org: { type: 'string' },
      specialty: { type: 'string' },
      doctor: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  });
  const server = (values.server ?? 'http://127.0.0.1:8443').replace(/\/+$/, '');
  const credential = values.credential ?? io.env.TIRKEU_GATEWAY_CREDENTIAL;
  if (!credential || !['submit', 'status', 'slots'].includes(command ?? '')) {
    io.err(
      'Usage: gateway-submit submit --server URL --credential CRED (--cms FILE | --json FILE --cert C.pem --key K.pem) | status --server URL --credential CRED NUMBER [--out DIR] | slots --server URL --credential CRED --org BIN [--specialty S | --doctor LOGIN] [--from DATE --to DATE]\n',
    );
    return 2;
  }
  const auth = { authorization: `Bearer ${credential}` };
  if (command === 'slots') return printSlots(server, auth, values, io);
  if (command === 'submit') {
    let der: Buffer;
    if (values.cms) der = fs.readFileSync(values.cms);
    else if (values.json && values.cert && values.key) {
      der = execFileSync('openssl', cmsSignArgs({ input: values.json, signer: values.cert, key: values.key, encapsulated: true }));
    } else {
      io.err('submit needs --cms FILE, or --json FILE with --cert and --key\n');
      return 2;
    }
    const r = await fetch(`${server}/v1/gateway/requests`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/pkcs7-mime' },
      body: der,
    });
    const body = (await r.json()) as { number?: string; status?: string; duplicate?: boolean; message?: string };
    if (!r.ok) {
      io.err(`refused (HTTP ${r.status}): ${body.message ?? ''}\n`);
      return 1;
    }
    io.out(`${body.number} ${body.status}${body.duplicate ? ' (duplicate: the first number)' : ''}\n`);
    return 0;
  }
  const number = positionals[0];
  if (!number) return 2;
  const r = await fetch(`${server}/v1/gateway/requests/${encodeURIComponent(number)}`, { headers: auth });
  if (!r.ok) {
    io.err(`HTTP ${r.status}\n`);
    return 1;
  }
  const view = (await r.json()) as GatewayRequestView;
  const answer = view.result ?? view.refusal;
  io.out(
    `${view.number}  IIN ${view.iin}  ${view.serviceType}  ${view.status}${view.statusReason ? ` (${view.statusReason})` : ''}  registered as ${view.registeredAs ?? '—'}  deadline ${view.deadlineAt ?? '—'}\n` +
      (answer ? `${answer.kind}: ${answer.reason?.en ?? ''} ${answer.reasons.join('; ')}\n${answer.document}\n` : ''),
  );
  if (answer && values.out) {
    fs.mkdirSync(values.out, { recursive: true });
    fs.writeFileSync(path.join(values.out, `${view.number}.json`), answer.document);
    fs.writeFileSync(path.join(values.out, `${view.number}.p7s`), Buffer.from(answer.cms, 'base64'));
  }
  return 0;
}

/** `slots`: GET /v1/gateway/slots, one free time a line (local date and time, doctor's login, name and specialty). */
async function printSlots(
  server: string,
  auth: Record<string, string>,
  values: Partial<Record<'org' | 'specialty' | 'doctor' | 'from' | 'to', string>>,
  io: { out(s: string): void; err(s: string): void },
): Promise<number> {
  const query = new URLSearchParams();
  for (const name of ['org', 'specialty', 'doctor', 'from', 'to'] as const) if (values[name]) query.set(name, values[name]);
  const r = await fetch(`${server}/v1/gateway/slots?${query.toString()}`, { headers: auth });
  const body = (await r.json()) as SlotsAnswer & { message?: string };
  if (!r.ok) {
    io.err(`refused (HTTP ${r.status}): ${body.message ?? ''}\n`);
    return 1;
  }
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: body.timeZone, dateStyle: 'short', timeStyle: 'short' });
  for (const s of body.slots)
    io.out(
      `${local.format(Date.parse(s.start))}–${local.format(Date.parse(s.end)).slice(11)}  ${s.doctor}  ${s.doctorName} (${s.specialty})\n`,
    );
  io.out(`${body.slots.length} free time(s) ${body.from} – ${body.to}${body.truncated ? ', more not shown' : ''}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
