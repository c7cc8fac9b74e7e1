/**
 * The public verification page (issue 19): `GET /v/<number>/<code>`, for whoever holds a printed document. Plain
 * HTML in Kazakh or Russian (`?lang=kk|ru`, else the browser's Accept-Language, else Kazakh), JSON for
 * `Accept: application/json`. It repeats what the paper shows (masked), the issuer, the date, the status and, for
 * a signed document, its signers and whether the CAdES signature verified. A wrong code and an unknown number get
 * the same 404 and take the same time (server/verification.ts). Each client address has a token bucket.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../common/clock';
import { DOCUMENT_TITLES, STATUS_TITLES, type Texts } from '../common/verification';
import type { ServerDb } from './db';
import { verifyDocument, type CheckCounter, type VerifiedDocument } from './verification';

type L = 'kk' | 'ru';

export interface RateLimit {
  /** Requests a client address may make at once. */
  burst: number;
  /** Requests a second it earns back. */
  perSecond: number;
}
export const DEFAULT_VERIFY_RATE: RateLimit = { burst: 20, perSecond: 1 };

/** A small in-memory token bucket per client address (no rate-limit package is installed). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly limit: RateLimit,
    private readonly maxClients = 100_000,
  ) {}

  /** True when the address may make a request now; false, and the seconds to wait, when not. */
  take(address: string, nowMs: number): { ok: boolean; retryAfter: number } {
    let b = this.buckets.get(address);
    if (!b) {
      if (this.buckets.size >= this.maxClients) this.buckets.clear(); // a flood of addresses resets, never grows without bound
      b = { tokens: this.limit.burst, at: nowMs };
      this.buckets.set(address, b);
    }
    b.tokens = Math.min(this.limit.burst, b.tokens + ((nowMs - b.at) / 1000) * this.limit.perSecond);
    b.at = nowMs;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, retryAfter: 0 };
    }
    return { ok: false, retryAfter: Math.ceil((1 - b.tokens) / this.limit.perSecond) };
  }
}

const T = {
  page: { kk: 'Құжатты тексеру', ru: 'Проверка документа' },
  found: { kk: 'Құжат расталды', ru: 'Документ подтверждён' },
  notFound: { kk: 'Мұндай нөмірі мен коды бар құжат табылмады', ru: 'Документ с таким номером и кодом не найден' },
  notFoundHint: {
    kk: 'Нөмір мен кодты қағаздағыдай енгізіңіз. Құжат жақында берілсе, ол әлі орталық серверге жетпеген болуы мүмкін.',
    ru: 'Проверьте номер и код по бумаге. Если документ выдан недавно, он мог ещё не дойти до центрального сервера.',
  },
  tooMany: { kk: 'Тым көп сұрау. Біраз күтіп, қайталаңыз.', ru: 'Слишком много запросов. Подождите и повторите.' },
  number: { kk: 'Нөмірі', ru: 'Номер' },
  status: { kk: 'Мәртебесі', ru: 'Статус' },
  issuer: { kk: 'Берген ұйым', ru: 'Выдавшая организация' },
  bin: { kk: 'БСН', ru: 'БИН' },
  issuedOn: { kk: 'Берілген күні', ru: 'Дата выдачи' },
  person: { kk: 'Кімге берілген', ru: 'Кому выдан' },
  iin: { kk: 'ЖСН', ru: 'ИИН' },
  code: { kk: 'Анонимдік код', ru: 'Анонимный код' },
  signers: { kk: 'Қол қойғандар', ru: 'Подписали' },
  ecp: { kk: 'ЭЦҚ', ru: 'ЭЦП' },
  sigOk: { kk: 'Электрондық цифрлық қолтаңба (CAdES) расталды', ru: 'Электронная цифровая подпись (CAdES) верна' },
  sigBad: { kk: 'Электрондық цифрлық қолтаңба расталмады', ru: 'Электронная цифровая подпись не подтверждена' },
  checks: { kk: 'Тексерулер саны', ru: 'Число проверок' },
  lang: { kk: 'Русский', ru: 'Қазақша' },
} as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const dmy = (iso: string) => iso.slice(0, 10).split('-').reverse().join('.');

/** `?lang=` first, then the first of kk/ru the browser prefers, then Kazakh (the state language). */
export function pageLanguage(query: unknown, acceptLanguage: string | undefined): L {
  const q = (query as { lang?: unknown } | null)?.lang;
  if (q === 'kk' || q === 'ru') return q;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const qv = params.find((x) => x.trim().startsWith('q='));
      return { tag: tag!.split('-')[0]!, q: qv ? Number(qv.trim().slice(2)) || 0 : 1 };
    })
    .filter((p) => p.tag === 'kk' || p.tag === 'ru')
    .sort((a, b) => b.q - a.q);
  return (prefs[0]?.tag as L | undefined) ?? 'kk';
}

/** The JSON answer: what the page shows, in both languages. */
export function documentJson(d: VerifiedDocument) {
  return {
    found: true as const,
    number: d.number,
    kind: d.kind,
    title: d.shows.title,
    status: d.status,
    statusTitle: STATUS_TITLES[d.status],
    statusAt: d.statusAt,
    issuedOn: d.shows.issuedOn,
    organization: { bin: d.orgBin, name: d.shows.organization.name },
    person: d.shows.person,
    iin: d.shows.iin,
    anonymousCode: d.shows.anonymousCode,
    lines: d.shows.lines,
    signers: d.shows.signers,
    signature: d.signature ? { verified: d.signature.verified } : null,
    checks: d.checks,
  };
}

function layout(lang: L, title: string, body: string, other: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;color:#111}
h1{font-size:1.3rem}.st{padding:.6rem .8rem;border-radius:.4rem;font-weight:600;margin:1rem 0}
.valid{background:#e6f4ea;color:#0b5d1e}.voided,.revoked,.none{background:#fdecea;color:#8a1c13}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#555}dd{margin:0}
.lang{float:right;font-size:.9rem}</style></head>
<body><a class="lang" href="${esc(other)}">${esc(T.lang[lang])}</a>${body}</body></html>`;
}

/** The page of a confirmed document in one language. */
export function documentHtml(d: VerifiedDocument, lang: L, otherUrl: string): string {
  const s = d.shows;
  const row = (label: Texts | string, value: string | null) =>
    value ? `<dt>${esc(typeof label === 'string' ? label : label[lang])}</dt><dd>${esc(value)}</dd>` : '';
  const rows = [
    row(T.number, d.number),
    row(T.issuer, s.organization.name[lang]),
    row(T.bin, d.orgBin),
    row(T.issuedOn, dmy(s.issuedOn)),
    row(T.person, s.person),
    row(T.iin, s.iin),
    row(T.code, s.anonymousCode),
    ...s.lines.map((l) => row(l.label, l.value[lang])),
    row(
      T.signers,
      s.signers
        .map(
          (x) =>
            `${x.position[lang].charAt(0).toUpperCase()}${x.position[lang].slice(1)}: ${x.name}${x.signedAt ? ` (${T.ecp[lang]} ${dmy(x.signedAt)})` : ''}`,
        )
        .join('; ') || null,
    ),
    row(T.checks, String(d.checks)),
  ].join('');
  const signature = d.signature
    ? `<p class="st ${d.signature.verified ? 'valid' : 'none'}">${esc((d.signature.verified ? T.sigOk : T.sigBad)[lang])}</p>`
    : '';
  const body = `<h1>${esc(T.page[lang])}: ${esc((s.title ?? DOCUMENT_TITLES[d.kind])[lang])}</h1>
<p class="st ${d.status}">${esc(d.status === 'valid' ? T.found[lang] : '')}${d.status === 'valid' ? ' — ' : ''}${esc(STATUS_TITLES[d.status][lang])}</p>
${signature}<dl>${rows}</dl>`;
  return layout(lang, T.page[lang], body, otherUrl);
}

export function notFoundHtml(lang: L, otherUrl: string): string {
  return layout(
    lang,
    T.page[lang],
    `<h1>${esc(T.page[lang])}</h1><p class="st none">${esc(T.notFound[lang])}</p><p>${esc(T.notFoundHint[lang])}</p>`,
    otherUrl,
  );
}

const wantsJson = (accept: string | undefined) => /application\/json/i.test(accept ?? '') && !/text\/html/i.test(accept ?? '');

export function registerVerifyPage(
  app: FastifyInstance,
  db: ServerDb,
  counter: CheckCounter,
  clock: Clock,
  limit: RateLimit = DEFAULT_VERIFY_RATE,
): void {
  const buckets = new TokenBuckets(limit);
  app.get('/v/:number/:code', async (req, reply) => {
    const { number, code } = req.params as { number: string; code: string };
    const json = wantsJson(req.headers.accept);
    const lang = pageLanguage(req.query, req.headers['accept-language']);
    const other = `/v/${encodeURIComponent(number)}/${encodeURIComponent(code)}?lang=${lang === 'kk' ? 'ru' : 'kk'}`;
    reply
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    const allowed = buckets.take(req.ip, clock().getTime());
    if (!allowed.ok) {
      reply.code(429).header('retry-after', String(allowed.retryAfter));
      return json
        ? { found: false, error: 'too-many-requests' }
        : reply.type('text/html; charset=utf-8').send(layout(lang, T.page[lang], `<p class="st none">${esc(T.tooMany[lang])}</p>`, other));
    }
    const doc = await verifyDocument(db, counter, number, code, clock());
    if (!doc) {
      reply.code(404);
      return json ? { found: false } : reply.type('text/html; charset=utf-8').send(notFoundHtml(lang, other));
    }
    return json ? documentJson(doc) : reply.type('text/html; charset=utf-8').send(documentHtml(doc, lang, other));
  });
}
