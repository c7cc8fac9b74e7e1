/**
 * The guided token check (issue 16): for each PKCS#11 module this workstation allows, whether the file is there and
 * loads, its slots and tokens, the certificates on each token, and what is wrong, as findings with codes the screen
 * and `tirkeu token-check` put in plain words. Nothing here asks for a PIN: a token shows its certificates publicly,
 * and a check must not cost a PIN try.
 */
import fs from 'node:fs';
import { ApiError } from '../../../common/errors';
import { certificateInfo, validityProblem } from '../../../pki/certificate';
import type { AppContext } from '../app';
import { inventory, type InventorySlot, type InventoryToken } from '../signing/pkcs11-inventory';
import { configuredModules } from '../signing-desk';

export type FindingCode =
  | 'no-modules'
  | 'module-missing'
  | 'module-load-failed'
  | 'no-token'
  | 'token-not-initialized'
  | 'token-unreadable'
  | 'pin-not-set'
  | 'pin-locked'
  | 'pin-final-try'
  | 'no-certificate'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'certificate-not-for-signing'
  | 'ready';

export interface Finding {
  code: FindingCode;
  /** error: nothing can sign until it is fixed; warning: it works, but not for long; info: beside a working key. */
  severity: 'ok' | 'info' | 'warning' | 'error';
  module: string | null;
  token: string | null;
  certificate: string | null;
  /** The date the finding is about (a certificate's end or start of validity). */
  date: string | null;
}

export interface CheckedCertificate {
  keyId: string;
  label: string | null;
  name: string;
  subject: string;
  iin: string | null;
  bin: string | null;
  serial: string;
  notBefore: string;
  notAfter: string;
  canSign: boolean;
  problem: 'certificate-expired' | 'certificate-not-yet-valid' | 'certificate-not-for-signing' | null;
}

export interface CheckedSlot {
  index: number;
  description: string;
  tokenPresent: boolean;
  token: InventoryToken | null;
  certificates: CheckedCertificate[];
}

export interface CheckedModule {
  module: string;
  state: 'loaded' | 'missing' | 'load-failed';
  /** The loader's own words when the module does not load (for the log and the command line). */
  detail: string | null;
  slots: CheckedSlot[];
}

export interface TokenCheck {
  checkedAt: string;
  /** At least one token holds a certificate that can sign now. */
  ready: boolean;
  modules: CheckedModule[];
  findings: Finding[];
}

function checkedCertificates(slot: InventorySlot, at: Date): CheckedCertificate[] {
  return slot.certificates.map(({ keyId, label, certificate }) => {
    const info = certificateInfo(certificate);
    const validity = validityProblem(certificate, at);
    const problem =
      validity === 'expired'
        ? 'certificate-expired'
        : validity === 'not-yet-valid'
          ? 'certificate-not-yet-valid'
          : info.canSign
            ? null
            : 'certificate-not-for-signing';
    const { name, subject, iin, bin, serial, notBefore, notAfter, canSign } = info;
    return { keyId, label, name, subject, iin, bin, serial, notBefore, notAfter, canSign, problem };
  });
}

/** Findings of one loaded module: its tokens, their PINs, their certificates. */
function moduleFindings(m: CheckedModule, slotProblems: Map<number, string>): Finding[] {
  const out: Finding[] = [];
  const at = (
    code: FindingCode,
    severity: Finding['severity'],
    token: string | null,
    certificate: string | null = null,
    date: string | null = null,
  ) => out.push({ code, severity, module: m.module, token, certificate, date });
  const present = m.slots.filter((s) => s.token);
  const initialized = present.filter((s) => s.token!.initialized);
  if (initialized.length === 0) {
    // A blank card (or SoftHSM's free slot) is there but was never set up; otherwise nothing is inserted.
    at(present.length > 0 ? 'token-not-initialized' : 'no-token', 'error', null);
    return out;
  }
  for (const s of initialized) {
    const t = s.token!;
    if (slotProblems.has(s.index)) {
      at('token-unreadable', 'error', t.label);
      continue;
    }
    if (t.pinLocked) at('pin-locked', 'error', t.label);
    else if (!t.userPinInitialized) at('pin-not-set', 'error', t.label);
    else if (t.pinFinalTry) at('pin-final-try', 'warning', t.label);
    if (s.certificates.length === 0) {
      at('no-certificate', 'error', t.label);
      continue;
    }
    const usable = s.certificates.filter((c) => c.problem === null);
    for (const c of usable) at('ready', t.pinLocked ? 'warning' : 'ok', t.label, c.name, c.notAfter);
    // NCA tokens hold an authentication certificate beside the signing one: beside a usable key that is no fault.
    for (const c of s.certificates.filter((x) => x.problem !== null))
      at(
        c.problem!,
        usable.length > 0 ? 'info' : 'error',
        t.label,
        c.name,
        c.problem === 'certificate-expired' ? c.notAfter : c.problem === 'certificate-not-yet-valid' ? c.notBefore : null,
      );
  }
  return out;
}

/** Checks the given modules (by default the ones this workstation allows). */
export function checkTokens(app: AppContext, modules: string[] = configuredModules(app)): TokenCheck {
  const now = app.clock();
  const findings: Finding[] = [];
  const checked: CheckedModule[] = [];
  if (modules.length === 0)
    findings.push({ code: 'no-modules', severity: 'error', module: null, token: null, certificate: null, date: null });
  for (const module of modules) {
    if (!fs.existsSync(module)) {
      checked.push({ module, state: 'missing', detail: null, slots: [] });
      findings.push({ code: 'module-missing', severity: 'error', module, token: null, certificate: null, date: null });
      continue;
    }
    let slots: InventorySlot[];
    try {
      slots = inventory(module);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      app.log.warn('signing.module-load-failed', { module, code: e instanceof ApiError ? e.code : 'internal' });
      checked.push({ module, state: 'load-failed', detail, slots: [] });
      findings.push({ code: 'module-load-failed', severity: 'error', module, token: null, certificate: null, date: null });
      continue;
    }
    const slotProblems = new Map(slots.filter((s) => s.problem).map((s) => [s.index, s.problem!]));
    const m: CheckedModule = {
      module,
      state: 'loaded',
      detail: null,
      slots: slots.map((s) => ({
        index: s.index,
        description: s.description,
        tokenPresent: s.tokenPresent,
        token: s.token,
        certificates: checkedCertificates(s, now),
      })),
    };
    checked.push(m);
    findings.push(...moduleFindings(m, slotProblems));
  }
  return { checkedAt: now.toISOString(), ready: findings.some((f) => f.code === 'ready'), modules: checked, findings };
}
