/**
 * Checking a printed document (issue 19): every document the application prints or sends carries a short URL
 * `<server>/v/<number>/<code>` in its QR code, and the same code in letters. The code is random (80 bits from the
 * workstation's cryptographic generator), never derived from the number; the central server keeps only a hash of
 * it, bound to the number, and answers the public page `GET /v/<number>/<code>`.
 *
 * Here, in common/, because the workstation (which issues the codes and prints them), the server (which stores the
 * pushed records and answers the page) and the renderer (which recognises a scanned URL) must agree on the alphabet,
 * the URL and the record.
 */

/** Crockford's base32: no I, L, O or U, so nothing on paper is read two ways. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 characters of 5 bits: 80 random bits. */
export const CODE_LENGTH = 16;

/** The sync operation that carries a document's verification record (created, or its status changed). */
export const VERIFICATION_OP = 'document.verification';

export const DOCUMENT_KINDS = [
  'talon',
  'appointment',
  'home-visit',
  'dispensary-certificate',
  'hiv-certificate',
  'receipt',
  'exemption-receipt',
  'refusal',
  'erequest-answer',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_STATUSES = ['valid', 'voided', 'revoked'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export type Texts = { kk: string; ru: string };

/** What the paper shows, as the page may repeat it: masked where the paper is sensitive (HIV: the code only). */
export interface DocumentShows {
  title: Texts;
  /** The person as the page shows them (a masked name), null for an anonymous document. */
  person: string | null;
  /** The IIN masked (birth date digits kept), null for an anonymous document. */
  iin: string | null;
  /** The anonymous code of an HIV certificate, printed on it instead of a name. */
  anonymousCode: string | null;
  /** The organization as printed. */
  organization: { bin: string; name: Texts };
  /** The issue date as printed (YYYY-MM-DD). */
  issuedOn: string;
  /** Further lines the paper shows (amount, district, doctor's time…), each in both languages. */
  lines: Array<{ label: Texts; value: Texts }>;
  /** Who signed (full name and position as printed), with the ЭЦҚ time when signed electronically. */
  signers: Array<{ name: string; position: Texts; signedAt: string | null }>;
}

/** The payload of a `document.verification` operation. */
export interface VerificationPayload {
  number: string;
  kind: DocumentKind;
  /** Hex SHA-256 of `codeHashInput(number, code)`; the code itself never leaves the workstation. */
  codeHash: string;
  status: DocumentStatus;
  /** Why it was voided or revoked (as typed at the desk), null while valid. */
  statusReason: string | null;
  statusAt: string | null;
  issuedAt: string;
  shows: DocumentShows;
  /** A signed document: its canonical bytes and the detached CAdES (base64), verified by the server on arrival. */
  signed?: { document: string; cms: string } | null;
}

/** What is hashed: the number binds the code to its document, so a code from one paper fits no other. */
export const codeHashInput = (number: string, code: string): string => `tirkeu-verify:${number}:${code}`;

/** The code in groups of four for print: `7K3M-Q9XA-…`. */
export function groupCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * A typed or scanned code back to its canonical form: case-insensitive, dashes and spaces ignored, the letters
 * Crockford reads as digits (O → 0, I and L → 1). Null when it cannot be a code.
 */
export function normalizeCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

/** A document number as issued (`D1-T000042`, a request number `D1-000042`, an e-request number). */
export const DOCUMENT_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;

/** The path of a document's page. */
export const verificationPath = (number: string, code: string): string => `/v/${encodeURIComponent(number)}/${encodeURIComponent(code)}`;

/** The URL the QR holds: the server's address (no trailing slash) and the path. */
export function verificationUrl(serverUrl: string | null, number: string, code: string): string {
  return `${(serverUrl ?? '').replace(/\/+$/, '')}${verificationPath(number, code)}`;
}

/** A verification URL found anywhere in a text (a scan, a pasted link): its number and normalized code. */
export function findVerificationUrl(text: string): { number: string; code: string } | null {
  const m = /\/v\/([A-Za-z0-9][A-Za-z0-9-]{0,39})\/([0-9A-Za-z-]{16,24})(?![0-9A-Za-z])/.exec(text);
  if (!m) return null;
  const code = normalizeCode(m[2]!);
  return code ? { number: m[1]!, code } : null;
}

/**
 * A name as the public page shows it: the surname and initials (`Ахметов А. Б.`). Enough for the holder of the
 * paper to see that it is the person printed on it; little for whoever only has the link.
 */
export function maskName(fullName: string | null | undefined): string | null {
  const parts = (fullName ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return null;
  return [parts[0], ...parts.slice(1).map((p) => `${p.charAt(0)}.`)].join(' ');
}

/** An IIN as the page shows it: the birth-date digits and the last two, the rest hidden. */
export function maskIin(iin: string | null | undefined): string | null {
  return iin && /^\d{12}$/.test(iin) ? `${iin.slice(0, 6)}****${iin.slice(10)}` : null;
}

/** The titles of each kind of document, on the page and at the desk. */
export const DOCUMENT_TITLES: Record<DocumentKind, Texts> = {
  talon: { kk: 'Медициналық ұйымға бекіту талоны', ru: 'Талон прикрепления к медицинской организации' },
  appointment: { kk: 'Дәрігердің қабылдауына жазылу талоны', ru: 'Талон записи на приём к врачу' },
  'home-visit': { kk: 'Дәрігерді үйге шақыру', ru: 'Вызов врача на дом' },
  'dispensary-certificate': { kk: 'Анықтама', ru: 'Справка' },
  'hiv-certificate': { kk: 'АИТВ-инфекциясына зерттеу туралы анықтама', ru: 'Справка об обследовании на ВИЧ-инфекцию' },
  receipt: { kk: 'Төлем туралы чек', ru: 'Чек об оплате' },
  'exemption-receipt': { kk: 'Төлемнен босату туралы чек', ru: 'Чек об освобождении от оплаты' },
  refusal: { kk: 'Қызмет көрсетуден дәлелді бас тарту', ru: 'Мотивированный отказ в оказании услуги' },
  'erequest-answer': { kk: 'Электрондық өтінімге жауап', ru: 'Ответ на электронную заявку' },
};

/** The status as the page and the desk print it. */
export const STATUS_TITLES: Record<DocumentStatus, Texts> = {
  valid: { kk: 'Жарамды', ru: 'Действителен' },
  voided: { kk: 'Жойылған (қайтарылған)', ru: 'Аннулирован (возврат)' },
  revoked: { kk: 'Кері қайтарылған', ru: 'Отозван' },
};

/** Checks of the public page per document, for the organization's administrator. */
export interface VerificationCheckCount {
  number: string;
  kind: DocumentKind;
  status: DocumentStatus;
  checks: number;
  lastCheckedAt: string | null;
}
