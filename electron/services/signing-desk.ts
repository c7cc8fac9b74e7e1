/**
 * Signing at the workstation: which tokens and key files a staff member can use, and a signature made with
 * them. The PKCS#11 modules a workstation may load are set by its administrator: the renderer names a module
 * only by choosing from that list, because loading a library is running its code.
 *
 * Identity rules (issue 5): a physician signs only with a certificate whose IIN is their own; a provider
 * signature (the organization's) needs a certificate with the organization's BIN.
 */
import type { z } from 'zod';
import type { signingSourceSchema } from '../../common/api';
import { canonicalBytes } from '../../common/canonical-json';
import { ApiError } from '../../common/errors';
import { getOrganization } from '../../db/organization';
import { getSetting, setSetting } from '../../db/settings';
import { recordChange } from '../../db/change';
import type { StaffRow } from '../../db/staff';
import type { AppContext } from './app';
import { actorOf } from './auth';
import { verifyDetached } from '../../pki';
import { createPkcs11Signer, createPkcs12Signer, listTokens, type Signer, type SigningKey } from './signing';

export type SigningSource = z.infer<typeof signingSourceSchema>;

const MODULES_KEY = 'signing.pkcs11Modules';

export function configuredModules(app: AppContext): string[] {
  return getSetting<string[]>(app.db, MODULES_KEY) ?? [];
}

export function setConfiguredModules(app: AppContext, admin: StaffRow, modules: string[]): string[] {
  const clean = [...new Set(modules.map((m) => m.trim()).filter(Boolean))];
  recordChange(app.db, actorOf(admin), app.clock(), () => setSetting(app.db, MODULES_KEY, clean), {
    audit: { action: 'signing.modules-set', details: { modules: clean } },
  });
  return clean;
}

export interface TokenSlot {
  module: string;
  available: boolean;
  problem: string | null;
  tokens: Array<{ label: string; serial: string; model: string; pinLocked: boolean; pinCountLow: boolean; pinFinalTry: boolean }>;
}

/** Every configured module with the tokens plugged in now; a module that fails to load is reported, not thrown. */
export function listSources(app: AppContext): TokenSlot[] {
  return configuredModules(app).map((module) => {
    try {
      // An uninitialized slot (SoftHSM always offers one, readers without a card look the same) has no label.
      return {
        module,
        available: true,
        problem: null,
        tokens: listTokens(module)
          .filter((t) => t.label.trim() !== '')
          .map(({ label, serial, model, pinLocked, pinCountLow, pinFinalTry }) => ({
            label,
            serial,
            model,
            pinLocked,
            pinCountLow,
            pinFinalTry,
          })),
      };
    } catch (error) {
      return { module, available: false, problem: error instanceof ApiError ? error.code : 'token-error', tokens: [] };
    }
  });
}

function signerFor(app: AppContext, source: SigningSource): Signer {
  if (source.kind === 'pkcs11') {
    if (!configuredModules(app).includes(source.module))
      throw new ApiError('forbidden', 'this PKCS#11 module is not configured on this workstation', {}, ['source.module']);
    return createPkcs11Signer({ module: source.module, token: source.token });
  }
  return createPkcs12Signer({ file: { bytes: Buffer.from(source.fileBase64, 'base64'), name: source.fileName } });
}

/** Whose identity the certificate must carry when this staff member signs. */
export function expectedIdentity(app: AppContext, staff: StaffRow, as: 'self' | 'provider'): { iin?: string | null; bin?: string | null } {
  if (as === 'provider') {
    const org = getOrganization(app.db);
    return { bin: org?.bin ?? null };
  }
  if (staff.role === 'physician' && !staff.iin)
    throw new ApiError('signer-mismatch', 'your account has no IIN recorded; ask the administrator', { field: 'iin' });
  return staff.iin ? { iin: staff.iin } : {};
}

export interface KeyChoice extends SigningKey {
  /** Why this key cannot sign for this user now (the dialog shows it greyed out), or null. */
  problem: string | null;
}

export async function listKeys(
  app: AppContext,
  staff: StaffRow,
  source: SigningSource,
  secret: string | null,
  as: 'self' | 'provider' = 'self',
): Promise<KeyChoice[]> {
  const signer = signerFor(app, source);
  const keys = await signer.listKeys(secret ? Buffer.from(secret, 'utf8') : undefined);
  const expect = expectedIdentity(app, staff, as);
  const now = app.clock();
  return keys.map((k) => {
    const c = k.certificate;
    let problem: string | null = null;
    if (!c.canSign) problem = 'key-usage';
    else if (new Date(c.notAfter) < now) problem = 'certificate-expired';
    else if (new Date(c.notBefore) > now) problem = 'certificate-not-yet-valid';
    else if ((expect.iin && c.iin !== expect.iin) || (expect.bin && c.bin !== expect.bin)) problem = 'signer-mismatch';
    return { ...k, problem };
  });
}

/** Signatures being made right now, per application: an update is not installed under a token's PIN dialog. */
const signingNow = new WeakMap<AppContext, number>();

export function signaturesInProgress(app: AppContext): number {
  return signingNow.get(app) ?? 0;
}

async function whileSigning<T>(app: AppContext, work: () => Promise<T>): Promise<T> {
  signingNow.set(app, signaturesInProgress(app) + 1);
  try {
    return await work();
  } finally {
    signingNow.set(app, signaturesInProgress(app) - 1);
  }
}

/**
 * Signs a document's canonical bytes. The PIN or password is copied once into a Buffer that the signer wipes,
 * and never logged (the dispatcher logs no arguments; audit details carry the certificate, not the secret).
 */
export async function signDocument(
  app: AppContext,
  staff: StaffRow,
  input: { source: SigningSource; keyId?: string; secret: string; as?: 'self' | 'provider'; existing?: Uint8Array },
  document: unknown,
): Promise<{ cms: Buffer; content: Buffer; certificate: SigningKey['certificate'] }> {
  const content = canonicalBytes(document);
  const signer = signerFor(app, input.source);
  const result = await whileSigning(app, () =>
    signer.sign(content, {
      keyId: input.keyId,
      secret: Buffer.from(input.secret, 'utf8'),
      expect: expectedIdentity(app, staff, input.as ?? 'self'),
      existing: input.existing,
      signingTime: app.clock(),
    }),
  );
  return { cms: result.cms, content: Buffer.from(content), certificate: result.certificate };
}

/**
 * "Check my signature": signs a short statement of who and when, verifies it at once, and records the check.
 * A physician does this when a new token arrives, before the first certificate of the day depends on it.
 */
export async function signatureCheck(app: AppContext, staff: StaffRow, input: { source: SigningSource; keyId?: string; secret: string }) {
  const at = app.clock();
  const document = { type: 'signature-check', staff: staff.login, at: at.toISOString() };
  const { cms, content, certificate } = await signDocument(app, staff, input, document);
  const check = verifyDetached(cms, content);
  const verified = check.valid;
  recordChange(app.db, actorOf(staff), at, () => undefined, {
    audit: {
      action: 'signing.checked',
      entity: 'staff',
      entityId: staff.id,
      details: { serial: certificate.serial, iin: certificate.iin, verified },
    },
  });
  return { verified, signedAt: at.toISOString(), bytes: cms.length, certificate };
}

/**
 * A provider (organization) signature made by the workstation itself, with no staff member at the keyboard: the
 * e-request answers of issue 8 when the rules decide. The certificate must carry the organization's BIN, as for
 * a provider signature made by a person. The secret is wiped by the signer and never logged.
 */
export async function signAsProvider(
  app: AppContext,
  input: { source: SigningSource; keyId?: string; secret: string },
  document: unknown,
): Promise<{ cms: Buffer; content: Buffer; certificate: SigningKey['certificate'] }> {
  const content = canonicalBytes(document);
  const signer = signerFor(app, input.source);
  const org = getOrganization(app.db);
  const result = await whileSigning(app, () =>
    signer.sign(content, {
      keyId: input.keyId,
      secret: Buffer.from(input.secret, 'utf8'),
      expect: { bin: org?.bin ?? null },
      signingTime: app.clock(),
    }),
  );
  return { cms: result.cms, content: Buffer.from(content), certificate: result.certificate };
}
