/**
 * The organization's answer key (issue 16): the key that signs e-request answers in the organization's name. What
 * an administrator sees is its certificate (subject, BIN, validity) and what is wrong with it, never the key, the
 * file or the password. Importing checks everything before anything is stored — the password opens the file (or
 * the PIN the token), a certificate carries the organization's BIN, is valid now and is a signing certificate, and
 * a test signature made with it verifies — then the file and the secret are stored sealed (sealed-settings.ts).
 * The Administration screen and `tirkeu answer-key` share this; the dispatcher logs no arguments and the audit
 * entry names the certificate only.
 */
import { ApiError } from '../../../common/errors';
import type { Actor } from '../../../db/audit';
import { recordChange } from '../../../db/change';
import { getOrganization } from '../../../db/organization';
import type { StaffRow } from '../../../db/staff';
import { verifyDetached } from '../../../pki';
import type { CertificateInfo } from '../../../pki/certificate';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { openProviderKey, providerKeyLabel, storeProviderKey } from '../sealed-settings';
import { createPkcs11Signer, createPkcs12Signer, type SigningKey } from '../signing';
import { configuredModules, signAsProvider, type SigningSource } from '../signing-desk';

/** What is wrong with a configured or offered key, as codes the screen and the command line put in words. */
export type AnswerKeyProblem =
  | 'organization-bin-missing'
  | 'bin-mismatch'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'key-usage'
  | 'module-not-configured'
  | 'cannot-open';

export interface AnswerKeyCertificate {
  name: string;
  subject: string;
  organization: string | null;
  bin: string | null;
  serial: string;
  notBefore: string;
  notAfter: string;
}

export interface AnswerKeyStatus {
  configured: boolean;
  kind: SigningSource['kind'] | null;
  /** The file's name, or the module and token label: never the file or the secret. */
  label: string | null;
  keyId: string | null;
  certificate: AnswerKeyCertificate | null;
  problems: AnswerKeyProblem[];
  /** Why the key could not be opened (cannot-open): the error code, e.g. token-absent, password-incorrect. */
  openError: string | null;
  organizationBin: string | null;
}

function shown(c: CertificateInfo): AnswerKeyCertificate {
  const { name, subject, organization, bin, serial, notBefore, notAfter } = c;
  return { name, subject, organization, bin, serial, notBefore, notAfter };
}

function problemsOf(c: CertificateInfo, bin: string | null, at: Date): AnswerKeyProblem[] {
  const out: AnswerKeyProblem[] = [];
  if (!bin) out.push('organization-bin-missing');
  else if (c.bin !== bin) out.push('bin-mismatch');
  if (new Date(c.notAfter).getTime() < at.getTime()) out.push('certificate-expired');
  if (new Date(c.notBefore).getTime() > at.getTime()) out.push('certificate-not-yet-valid');
  if (!c.canSign) out.push('key-usage');
  return out;
}

/** The certificates a key source shows; a token's only from a module this workstation allows (loading runs its code). */
async function keysOf(app: AppContext, source: SigningSource, secret: string | null): Promise<SigningKey[]> {
  if (source.kind === 'pkcs11') {
    if (!configuredModules(app).includes(source.module))
      throw new ApiError('forbidden', 'this PKCS#11 module is not configured on this workstation', { problem: 'module-not-configured' }, [
        'source.module',
      ]);
    return createPkcs11Signer({ module: source.module, token: source.token }).listKeys(secret ? Buffer.from(secret, 'utf8') : undefined);
  }
  return createPkcs12Signer({ file: { bytes: Buffer.from(source.fileBase64, 'base64'), name: source.fileName } }).listKeys(
    Buffer.from(secret ?? '', 'utf8'),
  );
}

/** The key the answers are signed with: the one named, else the one usable signing key with the organization's BIN. */
function choose(keys: SigningKey[], keyId: string | null | undefined, bin: string | null, at: Date): SigningKey | null {
  if (keyId) return keys.find((k) => k.keyId === keyId) ?? null;
  const usable = keys.filter((k) => problemsOf(k.certificate, bin, at).length === 0);
  return usable[0] ?? keys.find((k) => k.certificate.canSign) ?? keys[0] ?? null;
}

export async function answerKeyStatus(app: AppContext): Promise<AnswerKeyStatus> {
  const bin = getOrganization(app.db)?.bin ?? null;
  const label = providerKeyLabel(app);
  const empty = { certificate: null, problems: [] as AnswerKeyProblem[], openError: null, organizationBin: bin };
  if (!label) return { configured: false, kind: null, label: null, keyId: null, ...empty };
  const head = { configured: true, kind: label.kind, label: label.label, keyId: label.keyId, organizationBin: bin };
  try {
    const key = openProviderKey(app);
    if (!key) return { ...head, ...empty, problems: ['cannot-open'], openError: 'not-found' };
    // A token shows its certificates without the PIN; a key file needs its password (opened here, never returned).
    const keys = await keysOf(app, key.source, key.source.kind === 'pkcs12' ? key.secret : null);
    const chosen = choose(keys, key.keyId, bin, app.clock());
    if (!chosen) return { ...head, ...empty, problems: ['cannot-open'], openError: 'key-not-found' };
    return { ...head, certificate: shown(chosen.certificate), problems: problemsOf(chosen.certificate, bin, app.clock()), openError: null };
  } catch (e) {
    const code = e instanceof ApiError ? e.code : 'internal';
    const problem: AnswerKeyProblem =
      e instanceof ApiError && e.params?.problem === 'module-not-configured' ? 'module-not-configured' : 'cannot-open';
    return { ...head, ...empty, problems: [problem], openError: code };
  }
}

export interface AnswerKeyImport {
  source: SigningSource;
  keyId?: string | null;
  /** The key file's password or the token's PIN. */
  secret: string;
}

/**
 * Checks the offered key and stores it sealed. A wrong password or PIN, a file that is no key file, a key without
 * the organization's BIN and a certificate that cannot sign now are refused with the field they concern; nothing is
 * stored then.
 */
export async function importAnswerKey(app: AppContext, by: StaffRow | Actor, offered: AnswerKeyImport): Promise<AnswerKeyStatus> {
  const at = app.clock();
  const bin = getOrganization(app.db)?.bin ?? null;
  if (!bin)
    throw new ApiError(
      'validation',
      "the organization's BIN is not set: enroll the workstation first",
      { problem: 'organization-bin-missing' },
      ['source'],
    );
  let keys: SigningKey[];
  try {
    keys = await keysOf(app, offered.source, offered.secret);
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'password-incorrect' || e.code === 'pin-incorrect' || e.code === 'pin-locked'))
      throw new ApiError(e.code, e.message, e.params, ['secret']);
    if (e instanceof ApiError && !e.fields?.length) throw new ApiError(e.code, e.message, e.params, ['source']);
    throw e;
  }
  const chosen = choose(keys, offered.keyId, bin, at);
  if (!chosen)
    throw new ApiError(
      'key-not-found',
      offered.keyId ? `no key with id ${offered.keyId}` : 'the key file or token holds no certificate',
      {},
      [offered.keyId ? 'keyId' : 'source'],
    );
  const problems = problemsOf(chosen.certificate, bin, at);
  if (problems.length)
    throw new ApiError(
      'validation',
      `the key cannot answer for the organization: ${problems.join(', ')}`,
      { problem: problems[0]!, bin, certificateBin: chosen.certificate.bin ?? '', notAfter: chosen.certificate.notAfter },
      ['source'],
    );
  // A test signature: the PIN is right, the key matches the certificate, and the answer would verify.
  const probe = { type: 'answer-key-check', bin, at: at.toISOString() };
  const signed = await signAsProvider(app, { source: offered.source, keyId: chosen.keyId, secret: offered.secret }, probe);
  if (!verifyDetached(signed.cms, signed.content).valid)
    throw new ApiError('validation', 'a test signature with this key does not verify', { problem: 'test-signature' }, ['source']);

  const actor: Actor = 'password_hash' in by ? actorOf(by) : by;
  recordChange(app.db, actor, at, () => storeProviderKey(app, { source: offered.source, keyId: chosen.keyId }, offered.secret), {
    audit: {
      action: 'erequests.provider-key-set',
      details: { kind: offered.source.kind, keyId: chosen.keyId, serial: chosen.certificate.serial, bin: chosen.certificate.bin },
    },
  });
  return answerKeyStatus(app);
}
