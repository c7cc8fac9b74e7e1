/**
 * The wire contract between a workstation and the central server (issue 7). Shared by both sides so the names,
 * versions and limits cannot drift apart.
 */

/** Bumped when the wire format changes incompatibly; the server answers 426 to an older workstation. */
export const SYNC_PROTOCOL = 1;

export const HEADER_PROTOCOL = 'x-tirkeu-protocol';
export const HEADER_SCHEMA = 'x-tirkeu-schema';

export const LIMITS = {
  /** Operations per pushed batch. */
  pushMaxOps: 5_000,
  /** Bytes of one pushed request body. */
  pushMaxBytes: 8 * 1024 * 1024,
  /** Bytes of one operation's payload. */
  opMaxBytes: 256 * 1024,
  /** Rows per pulled page. */
  pullMaxRows: 5_000,
  /** Bytes of payload per pulled page (at least one row is always returned). */
  pullMaxBytes: 4 * 1024 * 1024,
  /** Reference rows per admin publish request; the server CLI sends a larger publish in several requests. */
  publishMaxRows: 5_000,
  /** Bytes of reference payloads per admin publish request (under the server's body limit). */
  publishMaxBytes: 4 * 1024 * 1024,
} as const;

export interface PushOp {
  op_id: string;
  kind: string;
  entity: string;
  entity_id: string;
  payload: unknown;
  created_at: string;
}

export interface PushRequest {
  batch_id: string;
  ops: PushOp[];
  /** The newest row of the workstation's audit log (issue 14); optional so older workstations still push. */
  audit_head?: AuditHead;
}

/**
 * An audit log's head: the sequence number (id) and hash of its newest row. The server remembers the head it last
 * acknowledged for each workstation and refuses one that goes backwards or forks. A head past the acknowledged one
 * carries `acknowledged`: the workstation's own hash of the row at the acknowledged sequence, which must still be
 * the hash the server acknowledged (a log edited and re-hashed from an earlier row fails here).
 */
export interface AuditHead {
  seq: number;
  hash: string;
  acknowledged?: { seq: number; hash: string };
}

/** The answer to a push whose audit head goes backwards or forks: HTTP 409, the batch is not applied. */
export interface AuditForkedBody {
  error: 'audit-forked';
  message: string;
  /** What the server acknowledged before: the head the workstation's log must still contain. */
  acknowledged: { seq: number; hash: string } | null;
}

export type OpResult =
  | { op_id: string; status: 'applied'; result?: unknown }
  | { op_id: string; status: 'duplicate'; original?: OpResult }
  | { op_id: string; status: 'rejected'; code: string; message: string }
  | { op_id: string; status: 'conflict'; server: unknown };

export interface PushResponse {
  batch_id: string;
  /** Server time (ISO) when the batch was received. */
  received_at: string;
  /** Server time (ISO) when this response was sent. */
  server_time: string;
  /** True when the batch had been applied before and this is its stored response. */
  replayed: boolean;
  results: OpResult[];
  /** The audit head the server now acknowledges for this workstation (absent from older servers). */
  audit_head?: { seq: number; hash: string } | null;
}

export interface PulledRow {
  kind: string;
  key: string;
  payload: unknown;
  deleted: boolean;
}

export interface PullResponse {
  rows: PulledRow[];
  /** Opaque: send it back as `?cursor=` for the next page. */
  cursor: string;
  more: boolean;
  server_time: string;
  /** For progress bars only: the position reached and the organization's newest position. */
  position: number;
  head: number;
  /**
   * The desk's cursor was behind pruned history: this pass re-sends the current state (and the deletions after the
   * desk's position) from the start; applying it as usual leaves the desk as if it had pulled the whole log.
   */
  resync?: boolean;
}

/** The kinds of reference data the server hands down (later issues fill them). */
export const REFERENCE_KINDS = [
  'staff',
  'district',
  'timetable',
  'price',
  'regulation-file',
  'register',
  'ca-certificate',
  'crl',
  'booking',
  'erequest',
] as const;

/** The booking operation's payload: the server confirms one booking per doctor and slot start. */
export interface BookingPayload {
  booking_id: string;
  doctor: string;
  slot_start: string;
  patient_iin?: string | null;
  patient_name?: string | null;
  phone?: string | null;
}

import type { OrgProfile } from './organization';

export interface EnrollResponse {
  workstation_id: string;
  /** `<workstation id>.<secret>`: sent as `Authorization: Bearer …`. Shown once. */
  credential: string;
  org_bin: string;
  server_time: string;
  /** The workstation's short code in its organization (D1, D2…): the start of every number it issues. */
  workstation_code: string;
  /** The organization's names, region, time zone and address, when the server has them. */
  organization: OrgProfile | null;
}

/** `POST /v1/enroll/preview {code}`: whose code this is, without using it up, for the administrator to confirm. */
export interface EnrollPreview {
  org_bin: string;
  organization: OrgProfile | null;
  expires_at: string;
}

export interface UpdateRequiredBody {
  error: 'update-required';
  message: string;
  min_protocol: number;
  min_schema: number;
}
