/**
 * A throw-away PKI made with the openssl CLI, shaped like Kazakhstan's NCA: a CA, its CRL, citizens' signing and
 * authentication certificates (IIN in SERIALNUMBER, BIN in OU), staff and organization certificates, PKCS#12 files.
 * Using openssl (not our own code) to make the material is the point: the project must agree with an independent
 * implementation. Everything lives in a temp dir; keys are reused between certificates to keep generation fast.
 *
 * Time: the PKI lives on a test clock (helpers/clock.ts). Validity periods and CRL dates are given explicitly from
 * it, and every OpenSSL call runs under libfaketime at the clock's current time, so a CA certificate's notBefore,
 * a CRL's lastUpdate and a CMS signingTime all agree with the workstation and server that share the clock.
 */
import { cmsSignArgs } from '../../pki/openssl-cms';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeIin, withCheckDigit } from '../../common/iin';
import type { Clock } from '../../common/clock';
import { realNow, TestClock } from './clock';

/** `faketime -f` wants local wall time; with TZ=UTC that is the UTC time. */
const fakeTimeSpec = (at: Date) => `@${at.toISOString().slice(0, 19).replace('T', ' ')}`;

/**
 * Runs the openssl CLI; with `at`, under libfaketime starting at that instant (the time OpenSSL stamps into what it
 * makes: certificates without explicit dates, CRLs, CMS signingTime — and the time `cms -verify` checks against).
 */
export function openssl(args: string[], options: { cwd?: string; input?: string | Buffer; at?: Date } = {}): Buffer {
  const [file, argv, env] = options.at
    ? ['faketime', ['-f', fakeTimeSpec(options.at), 'openssl', ...args], { ...process.env, TZ: 'UTC' }]
    : ['openssl', args, process.env];
  try {
    return execFileSync(file, argv, { cwd: options.cwd, input: options.input, env, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

export interface TestCert {
  name: string;
  cert: string;
  key: string;
  serial: string;
  iin: string | null;
}

export type CitizenCertName =
  | 'valid'
  | 'validEc'
  | 'expired'
  | 'notYetValid'
  | 'revoked'
  | 'auth'
  | 'foreign'
  | 'mismatch'
  | 'physician'
  | 'physicianAuth'
  | 'physicianExpired'
  | 'organization'
  | 'noKeyUsage';

export interface TestPki {
  dir: string;
  caCert: string;
  caKey: string;
  foreignCaCert: string;
  crl: string;
  crlDer: string;
  staleCrl: string;
  /** A CRL signed by the foreign CA under the test CA's name: a forged CRL. */
  forgedCrl: string;
  certs: Record<CitizenCertName, TestCert>;
  citizenIin: string;
  otherIin: string;
  physicianIin: string;
  organizationBin: string;
  p12: { path: string; password: string };
  p12Legacy: { path: string; password: string };
  p12Ec: { path: string; password: string };
  p12Expired: { path: string; password: string };
  /** The clock the PKI was made on and signs at (shared with the workstation and server of the test). */
  clock: { readonly now: Date };
  /** openssl at the PKI clock's current time. */
  openssl(args: string[], options?: { cwd?: string; input?: string | Buffer }): Buffer;
  /** A citizen's e-request signed by `openssl cms -sign` (CAdES-BES, content encapsulated), DER. */
  signRequest(request: unknown, cert: CitizenCertName, extra?: string[]): Buffer;
  cleanup(): void;
}

const ymd = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
const DAY = 86_400_000;

const CA_CONF = (dir: string) => `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}/ca
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = ${dir}/ca.pem
private_key = ${dir}/ca.key
default_md = sha256
default_days = 365
default_crl_days = 30
policy = policy_any
unique_subject = no
copy_extensions = none
preserve = yes
email_in_dn = no
[ policy_any ]
commonName = optional
surname = optional
givenName = optional
serialNumber = optional
countryName = optional
organizationName = optional
organizationalUnitName = optional
[ sign ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ auth ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ nokeyusage ]
basicConstraints = CA:FALSE
subjectKeyIdentifier = hash
[ crl_ext ]
authorityKeyIdentifier = keyid
`;

/** `clock`: a TestClock, or the `Clock` of the workstation the PKI serves (default: a clock at the real time). */
export function createTestPki(options: { clock?: TestClock | Clock } = {}): TestPki {
  const given = options.clock ?? new TestClock(realNow());
  const clock =
    typeof given === 'function'
      ? {
          get now() {
            return given();
          },
        }
      : given;
  const ossl = (args: string[], o: { cwd?: string; input?: string | Buffer } = {}) => openssl(args, { ...o, at: clock.now });
  const dir = mkdtempSync(join(tmpdir(), 'tirkeu-pki-'));
  const p = (f: string) => join(dir, f);
  mkdirSync(p('ca/newcerts'), { recursive: true });
  mkdirSync(p('foreign/newcerts'), { recursive: true });
  writeFileSync(p('ca/index.txt'), '');
  writeFileSync(p('ca/serial'), '1000\n');
  writeFileSync(p('ca/crlnumber'), '01\n');
  writeFileSync(p('ca.cnf'), CA_CONF(dir));
  writeFileSync(p('foreign/index.txt'), '');
  writeFileSync(p('foreign/serial'), '1000\n');
  writeFileSync(p('foreign/crlnumber'), '01\n');
  writeFileSync(
    p('foreign.cnf'),
    CA_CONF(dir)
      .replace(`dir = ${dir}/ca`, `dir = ${dir}/foreign`)
      .replace(`certificate = ${dir}/ca.pem`, `certificate = ${dir}/foreign-ca.pem`)
      .replace(`private_key = ${dir}/ca.key`, `private_key = ${dir}/foreign-ca.key`),
  );

  const caSubj = '/C=KZ/O=Test/CN=TEST NCA (RSA)';
  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  ossl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '3650',
    '-subj',
    caSubj,
    ...caExt,
  ]);
  // The foreign CA has the same name as ours on purpose: a forger copies names, not keys.
  ossl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('foreign-ca.key'),
    '-out',
    p('foreign-ca.pem'),
    '-days',
    '3650',
    '-subj',
    caSubj,
    ...caExt,
  ]);
  ossl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('rsa.key')]);
  ossl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('rsa2.key')]);
  ossl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p('ec.key')]);

  const citizenIin = makeIin('1988-01-01', 'M', 123);
  const otherIin = makeIin('1990-05-17', 'F', 456);
  const physicianIin = makeIin('1975-03-09', 'F', 789);
  // A BIN with a valid check digit: registered 1999-01, entity type 4 (legal entity).
  let bin = '';
  for (let i = 0; bin === '' && i < 100; i++) bin = withCheckDigit(`9901400${1000 + i}`) ?? '';

  const now = clock.now.getTime();
  const certs = {} as Record<CitizenCertName, TestCert>;
  const issue = (
    name: CitizenCertName,
    subj: string,
    opts: { key?: string; ext?: string; from?: Date; to?: Date; foreign?: boolean; iin?: string | null } = {},
  ) => {
    const key = opts.key ?? p('rsa.key');
    const csr = p(`${name}.csr`);
    ossl(['req', '-new', '-key', key, '-out', csr, '-subj', subj, '-utf8']);
    const args = [
      'ca',
      '-batch',
      '-config',
      p(opts.foreign ? 'foreign.cnf' : 'ca.cnf'),
      '-in',
      csr,
      '-out',
      p(`${name}.pem`),
      '-notext',
      '-preserveDN',
      '-utf8',
    ];
    args.push('-extensions', opts.ext ?? 'sign');
    args.push('-startdate', ymd(opts.from ?? new Date(now - DAY)), '-enddate', ymd(opts.to ?? new Date(now + 365 * DAY)));
    ossl(args);
    const serial = ossl(['x509', '-in', p(`${name}.pem`), '-noout', '-serial'])
      .toString()
      .trim()
      .split('=')[1]!
      .toLowerCase();
    certs[name] = { name, cert: p(`${name}.pem`), key, serial, iin: opts.iin === undefined ? null : opts.iin };
  };

  const citizen = (iin: string) => `/CN=ТЕСТОВ АЛИ/SN=ТЕСТОВ/serialNumber=IIN${iin}/C=KZ/GN=АЛИ`;
  issue('valid', citizen(citizenIin), { iin: citizenIin });
  issue('validEc', citizen(citizenIin), { key: p('ec.key'), iin: citizenIin });
  issue('expired', citizen(citizenIin), { from: new Date(now - 800 * DAY), to: new Date(now - 400 * DAY), iin: citizenIin });
  issue('notYetValid', citizen(citizenIin), { from: new Date(now + 300 * DAY), to: new Date(now + 700 * DAY), iin: citizenIin });
  issue('revoked', citizen(citizenIin), { iin: citizenIin });
  issue('auth', citizen(citizenIin), { ext: 'auth', iin: citizenIin });
  issue('foreign', citizen(citizenIin), { foreign: true, iin: citizenIin });
  issue('mismatch', citizen(otherIin), { iin: otherIin });
  issue('noKeyUsage', citizen(citizenIin), { ext: 'nokeyusage', iin: citizenIin });
  const physician = `/CN=ДӘРІГЕРОВА ГҮЛНАР/SN=ДӘРІГЕРОВА/serialNumber=IIN${physicianIin}/C=KZ`;
  issue('physician', physician, { key: p('rsa2.key'), iin: physicianIin });
  issue('physicianAuth', physician, { key: p('ec.key'), ext: 'auth', iin: physicianIin });
  issue('physicianExpired', physician, {
    key: p('rsa.key'),
    from: new Date(now - 800 * DAY),
    to: new Date(now - 400 * DAY),
    iin: physicianIin,
  });
  issue('organization', `/CN=ДӘРІГЕРОВА ГҮЛНАР/serialNumber=IIN${physicianIin}/C=KZ/O=ҚАЛАЛЫҚ ЕМХАНА №1/OU=BIN${bin}`, {
    key: p('rsa2.key'),
    iin: physicianIin,
  });

  ossl(['ca', '-batch', '-config', p('ca.cnf'), '-revoke', certs.revoked.cert, '-crl_reason', 'keyCompromise']);
  ossl(['ca', '-batch', '-config', p('ca.cnf'), '-gencrl', '-crlexts', 'crl_ext', '-out', p('crl.pem')]);
  ossl(['crl', '-in', p('crl.pem'), '-outform', 'DER', '-out', p('crl.der')]);
  ossl([
    'ca',
    '-batch',
    '-config',
    p('ca.cnf'),
    '-gencrl',
    '-out',
    p('stale-crl.pem'),
    '-crl_lastupdate',
    ymd(new Date(now - 60 * DAY)),
    '-crl_nextupdate',
    ymd(new Date(now - 30 * DAY)),
  ]);
  ossl(['ca', '-batch', '-config', p('foreign.cnf'), '-gencrl', '-out', p('forged-crl.pem')]);

  const pkcs12 = (name: string, cert: TestCert, extra: string[] = []) => {
    const path = p(`${name}.p12`);
    const password = 'Құпия-сөз 1';
    ossl(
      [
        'pkcs12',
        '-export',
        '-inkey',
        cert.key,
        '-in',
        cert.cert,
        '-certfile',
        p('ca.pem'),
        '-name',
        name,
        '-passout',
        'stdin',
        '-out',
        path,
        ...extra,
      ],
      {
        input: `${password}\n`,
      },
    );
    return { path, password };
  };

  const pki: TestPki = {
    dir,
    caCert: p('ca.pem'),
    caKey: p('ca.key'),
    foreignCaCert: p('foreign-ca.pem'),
    crl: p('crl.pem'),
    crlDer: p('crl.der'),
    staleCrl: p('stale-crl.pem'),
    forgedCrl: p('forged-crl.pem'),
    certs,
    citizenIin,
    otherIin,
    physicianIin,
    organizationBin: bin,
    p12: pkcs12('physician', certs.physician),
    p12Legacy: pkcs12('legacy', certs.physician, ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']),
    p12Ec: pkcs12('ec', certs.validEc),
    p12Expired: pkcs12('expired', certs.physicianExpired),
    clock,
    openssl: ossl,
    signRequest(request, certName, extra = []) {
      const c = certs[certName];
      const input = p(`request-${certName}-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(input, typeof request === 'string' ? request : JSON.stringify(request));
      const out = `${input}.p7s`;
      ossl([...cmsSignArgs({ input, signer: c.cert, key: c.key, encapsulated: true, out }), ...extra]);
      return readFileSync(out);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pki;
}

/** Writes `text` to a fresh file in the PKI dir and returns its path. */
export function writeTemp(pki: TestPki, name: string, data: string | Uint8Array): string {
  const path = join(pki.dir, name);
  writeFileSync(path, data);
  return path;
}
