/**
 * A psychoneurological dispensary certificate as the desk prints it (electron/services/dispensary/documents.ts), for
 * the tests that print one: its number from `n`, its person, and whatever else the test sets.
 */
import type { CertificateDocument } from '../../electron/services/dispensary/documents';

export function certificateDocument(
  n: number,
  person: CertificateDocument['person'],
  other: Partial<CertificateDocument> = {},
): CertificateDocument {
  return {
    type: 'dispensary-certificate',
    number: `A4-C00000${n}`,
    request: `A4-00000${n}`,
    serviceId: 'psychoneurological-certificate',
    definitionKey: 'atyrau/psychoneurological-certificate/2014-07-04',
    title: { kk: 'Психоневрологиялық диспансердің анықтамасы', ru: 'Справка психоневрологического диспансера' },
    statement: { kk: 'Есепте тұрмайды.', ru: 'На учёте не состоит.' },
    organization: {
      bin: '123456789012',
      name: { kk: 'Атырау облыстық диспансері', ru: 'Атырауский областной диспансер' },
      address: 'Атырау қ.',
    },
    person,
    code: null,
    register: { kind: 'psychiatric', checkedAt: '2026-03-10T04:00:00Z', checkedBy: 'Жұмабаев Асқар', found: false },
    issuedOn: '2026-03-10',
    act: { number: '150', date: '2014-05-23' },
    ...other,
  };
}
