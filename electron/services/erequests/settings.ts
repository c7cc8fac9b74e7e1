/**
 * The administrator's e-request settings: the policy (may the rules answer unattended, and in whose name the
 * journal entries are then made) and the provider key that signs the answers. The key's PIN or password is a
 * setting of its own, never returned by any API method and never logged; only `providerKey` reads it, to sign.
 * The password and the PKCS#12 file are stored sealed (../sealed-settings.ts, issue 14).
 */
import { ApiError } from '../../../common/errors';
import type { ServiceDefinition } from '../../../common/regulations';
import { recordChange } from '../../../db/change';
import * as dbe from '../../../db/erequests';
import { getSetting, setSetting } from '../../../db/settings';
import { openProviderKey, providerKeyLabel, storeProviderKey, type ProviderKeySetting } from '../sealed-settings';
import { findStaffByLogin, type StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import type { SigningSource } from '../signing-desk';
import { staffActor } from './decisions';

export type { ProviderKeySetting };
export interface ErequestPolicy {
  /**
   * The rules decide the e-requests of services the act does not call fully automated too (confirm when every
   * ground holds, else refuse); the answer is signed unattended.
   */
  autoAnswer: boolean;
  /**
   * The organization's choice that a registrar confirms each answer of a fully automated e-service (Astana 2013
   * cl. 3 "толық автоматтандырылған"); off, the rules answer those at once.
   */
  confirmAutomated: boolean;
  /** The registrar in whose name unattended journal entries are made (the journals name a staff member). */
  onBehalfOf: string | null;
}
const POLICY = 'erequests.policy';

export function policy(app: AppContext): ErequestPolicy {
  return { autoAnswer: false, confirmAutomated: false, onBehalfOf: null, ...(getSetting<Partial<ErequestPolicy>>(app.db, POLICY) ?? {}) };
}

/**
 * Whether the rules answer a service's e-requests unattended: a fully automated e-service (its regulation's
 * `portalAnswering.automation`) unless the organization has the registrar confirm each answer; any other when the
 * organization lets the rules answer.
 */
export function answersUnattended(app: AppContext, def: Pick<ServiceDefinition, 'portalAnswering'>): boolean {
  const p = policy(app);
  return def.portalAnswering?.automation === 'full' ? !p.confirmAutomated : p.autoAnswer;
}

export function settings(app: AppContext) {
  const trust = dbe.listTrustFiles(app.db);
  return {
    policy: policy(app),
    providerKey: providerKeyLabel(app),
    trustFiles: trust.map((t) => ({ id: t.id, name: t.name, kind: t.kind, addedAt: t.added_at })),
    trustFromServer: dbe.trustReferenceRows(app.db).length,
  };
}

export function setPolicy(app: AppContext, admin: StaffRow, p: ErequestPolicy) {
  if (p.onBehalfOf) {
    const s = findStaffByLogin(app.db, p.onBehalfOf);
    if (!s || s.role !== 'registrar') throw new ApiError('validation', `${p.onBehalfOf} is not a registrar`, {}, ['onBehalfOf']);
  }
  recordChange(app.db, staffActor(admin), app.clock(), () => setSetting(app.db, POLICY, p), {
    audit: { action: 'erequests.policy-set', details: { ...p } },
  });
  return settings(app);
}

/** The administrator configures the provider key; the secret is stored apart and never read back out. */
export function setProviderKey(app: AppContext, admin: StaffRow, a: { source: SigningSource; keyId?: string | null; secret: string }) {
  recordChange(
    app.db,
    staffActor(admin),
    app.clock(),
    () => {
      storeProviderKey(app, { source: a.source, ...(a.keyId ? { keyId: a.keyId } : {}) }, a.secret);
    },
    { audit: { action: 'erequests.provider-key-set', details: { kind: a.source.kind, keyId: a.keyId ?? null } } },
  );
  return settings(app);
}

/**
 * The provider key with its secret, for signing answers; null until the administrator configured both. Throws
 * SecretsUnavailableError when the sealed values cannot be opened with this application's key.
 */
export function providerKey(app: AppContext): (ProviderKeySetting & { secret: string }) | null {
  return openProviderKey(app);
}

/**
 * The registrar in whose name unattended journal entries are made: the policy's, else the first registrar. A
 * journal names a staff member, so without one no result can be entered.
 */
export function onBehalfOf(app: AppContext): StaffRow {
  const p = policy(app);
  const staff = findStaffByLogin(app.db, p.onBehalfOf ?? dbe.firstRegistrarLogin(app.db) ?? '');
  if (!staff) throw new ApiError('internal', 'no registrar to make journal entries in the name of; set the e-request policy');
  return staff;
}
