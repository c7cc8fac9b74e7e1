/**
 * The PKCS#11 signing provider (hardware tokens: Kaztoken, eToken, JaCarta…; SoftHSM2 in tests).
 *
 * - One PKCS11 instance per module path for the life of the process: loading a vendor library twice, or
 *   finalizing it while another part of the app holds a session, breaks both. CKR_CRYPTOKI_ALREADY_INITIALIZED
 *   (someone initialized it first) is success.
 * - Tokens are found by label: slot ids are not stable (SoftHSM derives them from the token, readers renumber).
 * - pkcs11js calls block the thread, so each operation opens a session, does the minimum and closes it.
 * - Everything that can be checked without the PIN (certificate validity, key usage, identity) is checked before
 *   logging in, so a doomed signature never costs a PIN try.
 */
import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { ApiError } from '../../../common/errors';
import { certificateInfo, parseCertificate, type ParsedCertificate } from '../../../pki/certificate';
import { createCades, ecdsaRawToDer, type KeyAlgorithm } from '../../../pki/cms';
import { chooseSigningKey, type KeyChoiceWords } from './key-choice';
import type { SignOptions, SignResult, Signer, SigningKey } from './types';

type Handle = Buffer;
type Template = { type: number; value?: number | boolean | string | Buffer | Date }[];

/** The part of pkcs11js's PKCS11 this provider uses; tests wrap it to inject token faults. */
export interface Pkcs11Library {
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetTokenInfo(slot: Handle): { label: string; serialNumber: string; manufacturerID: string; model: string; flags: number };
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_FindObjectsInit(session: Handle, template: Template): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(session: Handle, object: Handle, template: Template): Template;
  C_SignInit(session: Handle, mechanism: { mechanism: number }, key: Handle): void;
  C_Sign(session: Handle, inData: Buffer, outData: Buffer): Buffer;
}

// PKCS#11 constants (from the standard; pkcs11js exposes the same values).
const CKF_SERIAL_SESSION = 0x4;
const CKU_USER = 1;
const CKO_CERTIFICATE = 1;
const CKO_PRIVATE_KEY = 3;
const CKA_CLASS = 0x0;
const CKA_LABEL = 0x3;
const CKA_VALUE = 0x11;
const CKA_CERTIFICATE_TYPE = 0x80;
const CKA_KEY_TYPE = 0x100;
const CKA_ID = 0x102;
const CKA_SIGN = 0x108;
const CKC_X_509 = 0;
const CKK_RSA = 0;
const CKK_EC = 3;
const CKM_SHA256_RSA_PKCS = 0x40;
const CKM_ECDSA = 0x1041;
const CKF_USER_PIN_COUNT_LOW = 0x10000;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;

export const CKR = {
  DEVICE_ERROR: 0x30,
  DEVICE_REMOVED: 0x32,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

const libraries = new Map<string, Pkcs11Library & { C_Finalize(): void }>();

/** The process-wide instance for a module path, loaded and initialized on first use. */
export function pkcs11Module(modulePath: string): Pkcs11Library {
  let lib = libraries.get(modulePath);
  if (lib) return lib;
  const p = new pkcs11js.PKCS11();
  try {
    p.load(modulePath);
  } catch (e) {
    throw new ApiError('token-error', `cannot load the PKCS#11 module ${modulePath}: ${(e as Error).message}`, {
      module: modulePath,
    });
  }
  try {
    p.C_Initialize();
  } catch (e) {
    if (ckr(e) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) throw mapError(e);
  }
  lib = p as unknown as Pkcs11Library & { C_Finalize(): void };
  libraries.set(modulePath, lib);
  return lib;
}

/** Finalizes and forgets a module (tests; an app shutting down). */
export function closePkcs11Module(modulePath: string): void {
  const lib = libraries.get(modulePath);
  libraries.delete(modulePath);
  try {
    lib?.C_Finalize();
  } catch {
    // Already finalized or the library is gone: nothing left to release.
  }
}

function ckr(e: unknown): number | null {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' && code !== 0 ? code : null;
}

export function mapError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const code = ckr(e);
  const name = (e as Error)?.message ?? String(e);
  switch (code) {
    case CKR.DEVICE_REMOVED:
    case CKR.TOKEN_NOT_PRESENT:
    case CKR.TOKEN_NOT_RECOGNIZED:
    case CKR.SESSION_CLOSED:
    case CKR.SESSION_HANDLE_INVALID:
      return new ApiError('token-removed', `the token was removed during the operation (${name})`);
    case CKR.PIN_LOCKED:
      return new ApiError('pin-locked', 'the PIN is locked; unblock it with the PUK or the vendor tool');
    case null:
      // Not a PKCS#11 return value: a bug or a module crash, not something the user can act on.
      return new ApiError('internal', name);
    default:
      return new ApiError('token-error', `token error ${name}`, { ckr: code });
  }
}

export interface TokenDescription {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  pinLocked: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
}

function describe(info: ReturnType<Pkcs11Library['C_GetTokenInfo']>): TokenDescription {
  return {
    label: info.label.trimEnd(),
    serial: info.serialNumber.trimEnd(),
    manufacturer: info.manufacturerID.trimEnd(),
    model: info.model.trimEnd(),
    pinLocked: (info.flags & CKF_USER_PIN_LOCKED) !== 0,
    pinCountLow: (info.flags & CKF_USER_PIN_COUNT_LOW) !== 0,
    pinFinalTry: (info.flags & CKF_USER_PIN_FINAL_TRY) !== 0,
  };
}

/** Tokens present in the readers of a module. */
export function listTokens(modulePath: string, library: Pkcs11Library = pkcs11Module(modulePath)): TokenDescription[] {
  try {
    return library.C_GetSlotList(true).map((s) => describe(library.C_GetTokenInfo(s)));
  } catch (e) {
    throw mapError(e);
  }
}

function findSlot(lib: Pkcs11Library, label: string): { slot: Handle; token: TokenDescription } {
  let slots: Handle[];
  try {
    slots = lib.C_GetSlotList(true);
  } catch (e) {
    throw mapError(e);
  }
  for (const slot of slots) {
    let info;
    try {
      info = lib.C_GetTokenInfo(slot);
    } catch {
      continue; // a reader emptied between the two calls
    }
    const token = describe(info);
    if (token.label === label) return { slot, token };
  }
  throw new ApiError('token-absent', `no token labelled "${label}" is connected`, { label });
}

function findObjects(lib: Pkcs11Library, session: Handle, template: Template): Handle[] {
  lib.C_FindObjectsInit(session, template);
  try {
    const out: Handle[] = [];
    for (;;) {
      const batch = lib.C_FindObjects(session, 32);
      if (batch.length === 0) break;
      out.push(...batch);
    }
    return out;
  } finally {
    lib.C_FindObjectsFinal(session);
  }
}

function attr(lib: Pkcs11Library, session: Handle, obj: Handle, type: number): Buffer | null {
  const [a] = lib.C_GetAttributeValue(session, obj, [{ type }]);
  return Buffer.isBuffer(a?.value) ? a.value : null;
}

export interface TokenCertificate {
  keyId: string;
  label: string | null;
  certificate: ParsedCertificate;
}

/** The X.509 certificates on a token, read in an open session (public objects: no PIN needed). */
export function tokenCertificates(lib: Pkcs11Library, session: Handle): TokenCertificate[] {
  const out: TokenCertificate[] = [];
  for (const h of findObjects(lib, session, [
    { type: CKA_CLASS, value: CKO_CERTIFICATE },
    { type: CKA_CERTIFICATE_TYPE, value: CKC_X_509 },
  ])) {
    const value = attr(lib, session, h, CKA_VALUE);
    if (!value) continue;
    let cert: ParsedCertificate;
    try {
      cert = parseCertificate(value);
    } catch {
      continue; // a certificate we cannot read cannot be chosen either
    }
    const label = attr(lib, session, h, CKA_LABEL);
    out.push({
      keyId: (attr(lib, session, h, CKA_ID) ?? Buffer.alloc(0)).toString('hex'),
      label: label ? label.toString('utf8') : null,
      certificate: cert,
    });
  }
  return out;
}

function wipe(b: Buffer | undefined): void {
  b?.fill(0);
}

export interface Pkcs11SignerOptions {
  /** Path of the vendor's PKCS#11 library. */
  module: string;
  /** Token label as shown by the vendor tool. */
  token: string;
  /** A library object to use instead of the process-wide instance (tests inject faults through it). */
  library?: Pkcs11Library;
}

export function createPkcs11Signer(options: Pkcs11SignerOptions): Signer {
  const lib = () => options.library ?? pkcs11Module(options.module);

  function login(l: Pkcs11Library, session: Handle, slotLabel: string, secret: Buffer): void {
    // pkcs11js takes the PIN as a JS string; the copy lives only for this call and the Buffer is wiped by our caller.
    try {
      l.C_Login(session, CKU_USER, secret.toString('utf8'));
    } catch (e) {
      const code = ckr(e);
      if (code === CKR.USER_ALREADY_LOGGED_IN) return; // login state is per token and application
      if (code === CKR.PIN_INCORRECT || code === CKR.PIN_INVALID || code === CKR.PIN_LEN_RANGE) {
        let tries: 'final' | 'low' | 'unknown' | 'locked' = 'unknown';
        try {
          const t = describe(l.C_GetTokenInfo(findSlot(l, slotLabel).slot));
          tries = t.pinLocked ? 'locked' : t.pinFinalTry ? 'final' : t.pinCountLow ? 'low' : 'unknown';
        } catch {
          // The flags are a courtesy; the wrong PIN is what matters.
        }
        if (tries === 'locked') throw new ApiError('pin-locked', 'the PIN is now locked after too many wrong tries');
        const message =
          tries === 'final'
            ? 'wrong PIN: one try remains before the PIN is locked'
            : tries === 'low'
              ? 'wrong PIN: few tries remain before the PIN is locked'
              : 'wrong PIN';
        throw new ApiError('pin-incorrect', message, { triesRemaining: tries });
      }
      throw mapError(e);
    }
  }

  return {
    kind: 'pkcs11',

    async listKeys(secret?: Buffer): Promise<SigningKey[]> {
      try {
        return await withSession(async (l, session, token) => {
          if (secret) login(l, session, token.label, secret);
          try {
            return tokenCertificates(l, session).map((c) => ({
              provider: 'pkcs11' as const,
              source: token.label,
              keyId: c.keyId,
              label: c.label,
              certificate: certificateInfo(c.certificate),
            }));
          } finally {
            if (secret) safeLogout(l, session);
          }
        });
      } finally {
        wipe(secret);
      }
    },

    async sign(content: Uint8Array, opts: SignOptions): Promise<SignResult> {
      try {
        const at = opts.signingTime;
        return await withSession(async (l, session, token) => {
          if (token.pinLocked) throw new ApiError('pin-locked', 'the PIN is locked; unblock it with the PUK or the vendor tool');
          const chosen = chooseSigningKey(tokenCertificates(l, session), { keyId: opts.keyId, at, expect: opts.expect }, TOKEN_WORDS);

          login(l, session, token.label, opts.secret);
          try {
            const keys = findObjects(l, session, [
              { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
              { type: CKA_ID, value: Buffer.from(chosen.keyId, 'hex') },
            ]);
            const key = keys[0];
            if (!key) throw new ApiError('key-not-found', `the token has no private key with id ${chosen.keyId}`, { keyId: chosen.keyId });
            const keyTypeBuf = attr(l, session, key, CKA_KEY_TYPE);
            const keyType = keyTypeBuf ? keyTypeBuf.readUIntLE(0, Math.min(keyTypeBuf.length, 6)) : -1;
            const canSign = attr(l, session, key, CKA_SIGN);
            if (canSign && canSign[0] === 0) throw new ApiError('key-usage', 'the token does not allow this key to sign');
            const keyAlgorithm: KeyAlgorithm | null = keyType === CKK_RSA ? 'rsa' : keyType === CKK_EC ? 'ec' : null;
            if (!keyAlgorithm)
              throw new ApiError('unsupported-algorithm', 'the key is neither RSA nor EC (GOST keys are not supported yet)');

            const cms = await createCades({
              content,
              certificate: chosen.certificate,
              keyAlgorithm,
              signingTime: at,
              existing: opts.existing,
              encapsulate: opts.encapsulate,
              sign: async (tbs) => {
                if (keyAlgorithm === 'rsa') {
                  l.C_SignInit(session, { mechanism: CKM_SHA256_RSA_PKCS }, key);
                  return Buffer.from(l.C_Sign(session, tbs, Buffer.alloc(1024)));
                }
                // CKM_ECDSA signs a precomputed hash and returns r||s; CMS wants the DER SEQUENCE of two INTEGERs.
                l.C_SignInit(session, { mechanism: CKM_ECDSA }, key);
                const rawSig = l.C_Sign(session, createHash('sha256').update(tbs).digest(), Buffer.alloc(256));
                return ecdsaRawToDer(rawSig);
              },
            });
            return { cms, keyId: chosen.keyId, certificate: certificateInfo(chosen.certificate) };
          } finally {
            safeLogout(l, session);
          }
        });
      } finally {
        wipe(opts.secret);
      }
    },
  };

  /** Opens a session on the labelled token for one operation and always closes it. */
  async function withSession<T>(fn: (l: Pkcs11Library, session: Handle, token: TokenDescription) => Promise<T>): Promise<T> {
    const l = lib();
    const { slot, token } = findSlot(l, options.token);
    let session: Handle;
    try {
      session = l.C_OpenSession(slot, CKF_SERIAL_SESSION);
    } catch (e) {
      throw mapError(e);
    }
    try {
      return await fn(l, session, token);
    } catch (e) {
      if (e instanceof Error && e.name === 'DerError') throw new ApiError('validation', e.message);
      throw mapError(e);
    } finally {
      try {
        l.C_CloseSession(session);
      } catch {
        // The token is gone or the session already closed: nothing to release.
      }
    }
  }
}

function safeLogout(l: Pkcs11Library, session: Handle): void {
  try {
    l.C_Logout(session);
  } catch {
    // Not logged in any more (token removed, session closed): the goal of logging out is reached.
  }
}

/** Tokens from NCA hold an authentication and a signing certificate side by side: see key-choice.ts. */
const TOKEN_WORDS: KeyChoiceWords = {
  empty: 'the token holds no certificate',
  noSuchKey: (keyId) => `no certificate with key id ${keyId} on the token`,
  several: 'the token holds several signing certificates: choose one by key id',
};
