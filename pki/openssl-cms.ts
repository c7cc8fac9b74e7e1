/**
 * The `openssl cms -sign` arguments of a CAdES-BES signature as the portal and the organization make them (SHA-256,
 * DER, binary content): one list for the portal gateway's demo, the clinic simulation's portal and the test PKI, so
 * they all sign the way the workstation and the server verify. `encapsulated`: the content inside the signature (a
 * citizen's request) or detached (an answer, whose document travels beside it).
 */
export function cmsSignArgs(o: { input: string; signer: string; key: string; encapsulated: boolean; out?: string }): string[] {
  return [
    'cms',
    '-sign',
    ...(o.encapsulated ? ['-nodetach'] : []),
    '-binary',
    '-outform',
    'DER',
    '-cades',
    '-md',
    'sha256',
    '-in',
    o.input,
    '-signer',
    o.signer,
    '-inkey',
    o.key,
    ...(o.out ? ['-out', o.out] : []),
  ];
}
