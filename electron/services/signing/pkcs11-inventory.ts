/**
 * Everything a PKCS#11 module shows without a PIN, for the administrator's token check (issue 16): each slot, the
 * token in it (label, serial, whether it is initialized, whether its PIN is locked) and the certificates on it. It
 * uses the process-wide module instance of pkcs11.ts (a vendor library must not be loaded twice) and opens one
 * read-only session per initialized token.
 */
import { ApiError } from '../../../common/errors';
import type { ParsedCertificate } from '../../../pki/certificate';
import { mapError, pkcs11Module, tokenCertificates, type Pkcs11Library } from './pkcs11';

const CKF_SERIAL_SESSION = 0x4;
const CKF_TOKEN_PRESENT = 0x1;
const CKF_USER_PIN_INITIALIZED = 0x8;
const CKF_TOKEN_INITIALIZED = 0x400;
const CKF_USER_PIN_COUNT_LOW = 0x10000;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;

export interface InventoryToken {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  initialized: boolean;
  userPinInitialized: boolean;
  pinLocked: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
}

export interface InventorySlot {
  /** The slot's position in the module's list (slot ids are not stable across readers). */
  index: number;
  description: string;
  tokenPresent: boolean;
  token: InventoryToken | null;
  certificates: Array<{ keyId: string; label: string | null; certificate: ParsedCertificate }>;
  /** A token that could not be read (removed mid-way, a driver fault): the error code. */
  problem: string | null;
}

type SlotCapable = Pkcs11Library & { C_GetSlotInfo(slot: Buffer): { slotDescription: string; flags: number } };

/** The slots of a module with their tokens and certificates. Throws ApiError when the module cannot be loaded. */
export function inventory(modulePath: string): InventorySlot[] {
  const lib = pkcs11Module(modulePath) as SlotCapable;
  let slots: Buffer[];
  try {
    slots = lib.C_GetSlotList(false);
  } catch (e) {
    throw mapError(e);
  }
  return slots.map((slot, index) => {
    const out: InventorySlot = { index, description: '', tokenPresent: false, token: null, certificates: [], problem: null };
    try {
      const info = lib.C_GetSlotInfo(slot);
      out.description = info.slotDescription.trimEnd();
      out.tokenPresent = (info.flags & CKF_TOKEN_PRESENT) !== 0;
      if (!out.tokenPresent) return out;
      const t = lib.C_GetTokenInfo(slot);
      out.token = {
        label: t.label.trimEnd(),
        serial: t.serialNumber.trimEnd(),
        manufacturer: t.manufacturerID.trimEnd(),
        model: t.model.trimEnd(),
        initialized: (t.flags & CKF_TOKEN_INITIALIZED) !== 0,
        userPinInitialized: (t.flags & CKF_USER_PIN_INITIALIZED) !== 0,
        pinLocked: (t.flags & CKF_USER_PIN_LOCKED) !== 0,
        pinCountLow: (t.flags & CKF_USER_PIN_COUNT_LOW) !== 0,
        pinFinalTry: (t.flags & CKF_USER_PIN_FINAL_TRY) !== 0,
      };
      // An uninitialized token has no objects and may refuse a session: nothing more to read.
      if (!out.token.initialized) return out;
      const session = lib.C_OpenSession(slot, CKF_SERIAL_SESSION);
      try {
        // The token's own object order changes between reads: by key id, a list reads the same every time.
        out.certificates = tokenCertificates(lib, session).sort((a, b) => a.keyId.localeCompare(b.keyId));
      } finally {
        try {
          lib.C_CloseSession(session);
        } catch {
          // the token went away: the session is gone with it
        }
      }
    } catch (e) {
      out.problem = (e instanceof ApiError ? e : mapError(e)).code;
    }
    return out;
  });
}
