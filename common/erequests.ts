/**
 * E-requests from the portal (issue 8): the shapes the gateway, the central server and the workstation share.
 *
 * The citizen's request is a JSON object signed by the citizen (CMS SignedData, CAdES-BES, content
 * encapsulated). The gateway posts it unchanged; the server numbers it and hands it down to the organization's
 * workstations as a pulled row of kind `erequest`; the workstation answers with `erequest.status` operations
 * in its outbox (registered, then done with the signed result or refused with the signed motivated refusal).
 */
import type { SurveyAnswer } from './workflow';
import { z } from 'zod';

export const EREQUEST_TYPES = ['home-visit', 'appointment', 'attachment'] as const;
export type ErequestType = (typeof EREQUEST_TYPES)[number];

/** The pulled row kind and the pushed operation kind. */
export const EREQUEST_ROW_KIND = 'erequest';
export const EREQUEST_STATUS_OP = 'erequest.status';

/**
 * Statuses the citizen sees. `received`: at the gateway, routed to the organization; `registered`: registered at
 * the workstation with a number, being checked; `done`: the signed result is there; `refused`: the signed
 * motivated refusal is there. Statuses the server sets alone: `unknown-organization` (no such organization is
 * connected), `bad-request` (not a signed request the server can read).
 */
export const GATEWAY_STATUSES = ['received', 'registered', 'done', 'refused', 'unknown-organization', 'bad-request'] as const;
export type GatewayStatus = (typeof GATEWAY_STATUSES)[number];
export const FINAL_GATEWAY_STATUSES: readonly GatewayStatus[] = ['done', 'refused', 'unknown-organization', 'bad-request'];

/** The fields common to every e-request; each service adds its own (see `erequestContentSchema`). */
const base = {
  requestId: z.string().min(8).max(100),
  iin: z.string().regex(/^\d{12}$/),
  organizationBin: z.string().regex(/^\d{12}$/),
  submittedAt: z.string().min(10).max(40),
};

export const erequestContentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('home-visit'),
    ...base,
    address: z.string().min(3).max(300),
    phone: z.string().max(40).optional(),
    complaint: z.string().min(2).max(500),
  }),
  z.object({
    type: z.literal('appointment'),
    ...base,
    /** The doctor's login as published in the timetable. */
    doctor: z.string().min(1).max(60),
    slotStart: z.string().min(10).max(40),
    phone: z.string().max(40).optional(),
    /**
     * The citizen chose this time among the free times the portal offered (`GET /v1/gateway/slots`): the desk
     * books it without a person's second check when it is still free (electron/services/erequests/portal-slot.ts).
     */
    slotOffered: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('attachment'),
    ...base,
    previousOrganization: z.string().max(200).optional(),
  }),
]);
export type ErequestContent = z.infer<typeof erequestContentSchema>;

/** The payload of a pulled `erequest` row. */
export interface ErequestRowPayload {
  number: string;
  requestId: string;
  serviceType: string | null;
  iin: string | null;
  organizationBin: string;
  receivedAt: string;
  /** The signed request as the gateway posted it, base64 DER. */
  cms: string;
}

/** The signed answer: the document (canonical JSON text) and its detached CAdES-BES signature (base64 DER). */
export interface SignedAnswer {
  kind: 'result' | 'refusal';
  code: string | null;
  reason: { kk: string; ru: string; en: string } | null;
  reasons: string[];
  document: string;
  cms: string;
}

/** The payload of an `erequest.status` operation. */
export interface ErequestStatusPayload {
  number: string;
  status: 'registered' | 'done' | 'refused';
  registeredAs: string | null;
  deadlineAt: string | null;
  at: string;
  answer: SignedAnswer | null;
}

/** What `GET /v1/gateway/requests/{number}` returns: the citizen's screen. */
export interface GatewayRequestView {
  number: string;
  requestId: string;
  iin: string | null;
  organizationBin: string;
  serviceType: string | null;
  status: GatewayStatus;
  statusReason: string | null;
  receivedAt: string;
  registeredAs: string | null;
  deadlineAt: string | null;
  result: SignedAnswer | null;
  refusal: SignedAnswer | null;
  /** The citizen's answers to the quality survey, once given (`POST …/survey`). */
  survey: PortalSurvey | null;
}

// ---------------------------------------------------------------------------------------------------------------
// The quality survey on the portal (Astana appendix 3): the citizen answers the two questions of an answered
// e-request; the server keeps them and passes them to the organization's desks as a pulled row.

/** The pulled row kind of a citizen's survey answers (key: the e-request's number). */
export const PORTAL_SURVEY_ROW_KIND = 'erequest-survey';

export interface PortalSurvey {
  q1: SurveyAnswer;
  q2: SurveyAnswer;
  at: string;
}

/** The payload of a pulled `erequest-survey` row. */
export interface PortalSurveyRowPayload extends PortalSurvey {
  number: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Leases (issue 13): each e-request is handled by exactly one workstation of the organization

/** The pulled row kind that tells the other desks who holds an e-request (key: the e-request's number). */
export const EREQUEST_LEASE_ROW_KIND = 'erequest-lease';
/** How long a claimed e-request stays with the desk that claimed it without being registered (server default). */
export const EREQUEST_LEASE_MS = 10 * 60_000;
/** Numbers per `POST /v1/erequests/claim`. */
export const EREQUEST_CLAIM_MAX = 500;
/** The conflict reason of an `erequest.status` operation from a desk that does not hold the e-request. */
export const EREQUEST_TAKEN = 'erequest-taken';

/** A workstation as another desk sees it: its id and the name (or code) it was enrolled with. */
export interface DeskRef {
  id: string;
  name: string;
}

/**
 * One number's answer to a claim. `granted`: this desk holds it until `lease_until` (null: it is this desk's for
 * good, its registration was accepted before); `taken`: another desk holds it until `lease_until`; `done`: already
 * registered or answered (`holder` null when that happened before leases); `unknown`: no such e-request of this
 * organization.
 */
export type ErequestClaimResult =
  | { number: string; status: 'granted'; lease_until: string | null }
  | { number: string; status: 'taken'; holder: DeskRef; lease_until: string }
  | { number: string; status: 'done'; holder: DeskRef | null }
  | { number: string; status: 'unknown' };

export interface ErequestClaimResponse {
  results: ErequestClaimResult[];
  server_time: string;
}

/** The payload of a pulled `erequest-lease` row: `leased` for a while, or `handled` (registered) for good. */
export interface ErequestLeasePayload {
  number: string;
  state: 'leased' | 'handled';
  holder: DeskRef;
  leaseUntil: string | null;
  at: string;
}

/** The `server` part of the conflict answered to an `erequest.status` operation of a desk that lost the lease. */
export interface ErequestTakenConflict {
  reason: typeof EREQUEST_TAKEN;
  number: string;
  holder: DeskRef | null;
  lease_until: string | null;
}
