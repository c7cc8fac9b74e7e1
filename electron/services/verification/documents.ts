/**
 * What each printed document's verification record says (issue 19): the title, the person masked, the lines the
 * paper shows, the signers. One function per kind of paper, called by its printout; each returns the mark the
 * printout draws. The HIV certificate's record names only its anonymous code.
 */
import type { Appointment, Attachment } from '../../../common/desk';
import type { CashEntry, FeeExemption } from '../../../common/dispensary';
import type { Organization } from '../../../common/schemas';
import { DOCUMENT_TITLES, maskIin, maskName, type DocumentShows, type Texts } from '../../../common/verification';
import type { Actor } from '../../../db/audit';
import { getRequestByNumber } from '../../../db/requests';
import type { AppContext } from '../app';
import { documentVerification, type VerificationMark } from './records';

const orgOf = (org: Organization) => ({ bin: org.bin, name: { kk: org.name.kk, ru: org.name.ru } });
const same = (v: string): Texts => ({ kk: v, ru: v });
const money = (n: number) => `${n.toLocaleString('ru-RU').replace(/\u00a0/g, ' ')} ₸`;
const requestIdOf = (app: AppContext, number: string) => getRequestByNumber(app.db, number)?.id ?? null;

function shows(
  org: Organization,
  s: Omit<DocumentShows, 'organization' | 'anonymousCode' | 'signers'> & Partial<DocumentShows>,
): DocumentShows {
  return { anonymousCode: null, signers: [], organization: orgOf(org), ...s };
}

export function talonMark(app: AppContext, actor: Actor, org: Organization, t: Attachment): VerificationMark {
  return documentVerification(app, actor, {
    number: t.talonNumber,
    kind: 'talon',
    issuedAt: t.attachedAt,
    requestId: requestIdOf(app, t.requestNumber),
    personIin: t.person.iin,
    status: t.status === 'active' ? 'valid' : 'revoked',
    shows: shows(org, {
      title: DOCUMENT_TITLES.talon,
      person: maskName(t.person.name),
      iin: maskIin(t.person.iin),
      issuedOn: t.date,
      lines: [{ label: { kk: 'Учаске', ru: 'Участок' }, value: same(`№ ${t.district.number}`) }],
    }),
  });
}

export function slipMark(app: AppContext, actor: Actor, org: Organization, a: Appointment): VerificationMark {
  return documentVerification(app, actor, {
    number: a.number,
    kind: 'appointment',
    issuedAt: a.createdAt,
    requestId: requestIdOf(app, a.requestNumber),
    personIin: a.person.iin,
    status: a.status === 'cancelled' ? 'revoked' : 'valid',
    shows: shows(org, {
      title: DOCUMENT_TITLES.appointment,
      person: maskName(a.person.name),
      iin: maskIin(a.person.iin),
      issuedOn: a.createdAt.slice(0, 10),
      lines: [{ label: { kk: 'Қабылдау уақыты', ru: 'Время приёма' }, value: same(`${a.date} ${a.time}–${a.endTime}`) }],
    }),
  });
}

export interface ReceiptFacts {
  receiptNo: string;
  requestNumber: string;
  createdAt: string;
  amountKzt: number;
  serviceTitle: Texts;
  voided: { reason: string } | null;
  exemption: boolean;
}

export function receiptFacts(e: CashEntry, serviceTitle: Texts, voided: { reason: string } | null): ReceiptFacts {
  return { ...e, serviceTitle, voided, exemption: false };
}

export function exemptionFacts(e: FeeExemption, serviceTitle: Texts): ReceiptFacts {
  return {
    receiptNo: e.receiptNo,
    requestNumber: e.requestNumber,
    createdAt: e.createdAt,
    amountKzt: 0,
    serviceTitle,
    voided: null,
    exemption: true,
  };
}

/** A receipt names no person: the request, the service, the amount. */
export function receiptMark(app: AppContext, actor: Actor, org: Organization, r: ReceiptFacts): VerificationMark {
  return documentVerification(app, actor, {
    number: r.receiptNo,
    kind: r.exemption ? 'exemption-receipt' : 'receipt',
    issuedAt: r.createdAt,
    requestId: requestIdOf(app, r.requestNumber),
    status: r.voided ? 'voided' : 'valid',
    statusReason: r.voided?.reason ?? null,
    shows: shows(org, {
      title: DOCUMENT_TITLES[r.exemption ? 'exemption-receipt' : 'receipt'],
      person: null,
      iin: null,
      issuedOn: r.createdAt.slice(0, 10),
      lines: [
        { label: { kk: 'Өтінім', ru: 'Заявка' }, value: same(r.requestNumber) },
        { label: { kk: 'Қызмет', ru: 'Услуга' }, value: r.serviceTitle },
        { label: { kk: 'Сомасы', ru: 'Сумма' }, value: same(money(r.amountKzt)) },
      ],
    }),
  });
}

export interface CertificateFacts {
  number: string;
  requestId: number;
  title: Texts;
  hiv: boolean;
  person: { iin: string; name: string | null } | null;
  code: string | null;
  issuedAt: string;
  issuedOn: string;
  signers: DocumentShows['signers'];
  signed: { document: Buffer; cms: Buffer } | null;
  revoked: { reason: string } | null;
}

/** A certificate; the HIV certificate's record carries its anonymous code and nothing of the person. */
export function certificateMark(app: AppContext, actor: Actor, org: Organization, c: CertificateFacts): VerificationMark {
  return documentVerification(app, actor, {
    number: c.number,
    kind: c.hiv ? 'hiv-certificate' : 'dispensary-certificate',
    issuedAt: c.issuedAt,
    requestId: c.requestId,
    personIin: c.hiv ? null : (c.person?.iin ?? null),
    status: c.revoked ? 'revoked' : 'valid',
    statusReason: c.revoked?.reason ?? null,
    signed: c.signed,
    shows: shows(org, {
      title: c.title,
      person: c.hiv ? null : maskName(c.person?.name),
      iin: c.hiv ? null : maskIin(c.person?.iin),
      anonymousCode: c.hiv ? c.code : null,
      issuedOn: c.issuedOn,
      lines: [],
      signers: c.signers,
    }),
  });
}

/** A motivated refusal handed over at the desk: the request number is the refusal's number. */
export function refusalMark(
  app: AppContext,
  actor: Actor,
  org: Organization,
  r: { requestId: number; number: string; day: string; closedAt: string; personName: string | null; iin: string | null; service: Texts },
): VerificationMark {
  return documentVerification(app, actor, {
    number: r.number,
    kind: 'refusal',
    issuedAt: r.closedAt,
    requestId: r.requestId,
    personIin: r.iin,
    shows: shows(org, {
      title: DOCUMENT_TITLES.refusal,
      person: maskName(r.personName),
      iin: maskIin(r.iin),
      issuedOn: r.day,
      lines: [{ label: { kk: 'Қызмет', ru: 'Услуга' }, value: r.service }],
    }),
  });
}

/**
 * An e-request's answer (a result or a motivated refusal), sent to the portal signed: its number is the
 * e-request's. The citizen's answer document carries the URL and the code.
 */
export function erequestAnswerMark(
  app: AppContext,
  actor: Actor,
  org: Organization,
  r: { number: string; requestId: number | null; iin: string | null; name: string | null; result: boolean; issuedAt: string },
): VerificationMark {
  return documentVerification(app, actor, {
    number: r.number,
    kind: 'erequest-answer',
    issuedAt: r.issuedAt,
    requestId: r.requestId,
    personIin: r.iin,
    shows: shows(org, {
      title: DOCUMENT_TITLES['erequest-answer'],
      person: maskName(r.name),
      iin: maskIin(r.iin),
      issuedOn: r.issuedAt.slice(0, 10),
      lines: [
        {
          label: { kk: 'Жауап', ru: 'Ответ' },
          value: r.result ? { kk: 'Қызмет көрсетілді', ru: 'Услуга оказана' } : { kk: 'Дәлелді бас тарту', ru: 'Мотивированный отказ' },
        },
      ],
    }),
  });
}
