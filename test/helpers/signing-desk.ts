/** A workstation whose therapist holds a SoftHSM2 token with a certificate for their own IIN. */
import type { AppContext } from '../../electron/services/app';
import { setSetting } from '../../db/settings';
import { createTestPki, type TestPki } from './pki';
import { createSoftHsm, type SoftHsm } from './softhsm';

export const TOKEN_LABEL = 'Дәрігер токені';
export const TOKEN_PIN = '24681357';

export interface DeskPki {
  pki: TestPki;
  hsm: SoftHsm;
  cleanup(): void;
}

/** The certificates are issued on the workstation's own clock, so they are valid at whatever time the test sets. */
export function setUpPhysicianToken(app: AppContext, physicianLogin = 'therapist'): DeskPki {
  const pki = createTestPki({ clock: app.clock });
  const hsm = createSoftHsm([
    {
      label: TOKEN_LABEL,
      pin: TOKEN_PIN,
      keys: [
        { id: '01', label: 'signing', key: pki.certs.physician.key, cert: pki.certs.physician.cert },
        { id: '02', label: 'auth', key: pki.certs.physicianAuth.key, cert: pki.certs.physicianAuth.cert },
      ],
    },
  ]);
  // The administrator's staff screen records IINs at creation; the demo physician gets the token owner's IIN.
  app.db.prepare('UPDATE staff SET iin = ? WHERE login = ?').run(pki.physicianIin, physicianLogin);
  setSetting(app.db, 'signing.pkcs11Modules', [hsm.module]);
  return {
    pki,
    hsm,
    cleanup() {
      hsm.cleanup();
      pki.cleanup();
    },
  };
}
