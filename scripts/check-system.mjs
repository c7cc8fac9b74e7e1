// The tests use real parts: Chromium for the UI, SoftHSM2 + OpenSC for the PKCS#11 token, OpenSSL for the
// test PKI (under faketime, at the test clock's time), poppler's pdftotext for printouts, PostgreSQL for the central server's tests, the sqlite3 shell for the bench's import baseline. This installs the missing Debian packages when it can (root with
// apt-get), and otherwise stops at once naming the exact command. Set TIRKEU_NO_APT=1 to never install.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const NEEDS = [
  { pkg: 'chromium', present: () => fs.existsSync('/usr/bin/chromium') },
  { pkg: 'softhsm2', present: () => has('softhsm2-util') && fs.existsSync('/usr/lib/softhsm/libsofthsm2.so') },
  { pkg: 'opensc', present: () => has('pkcs11-tool') },
  { pkg: 'openssl', present: () => has('openssl') },
  // The test PKI runs OpenSSL at the test clock's time; `npm run test:dates` runs suites at other dates.
  { pkg: 'faketime', present: () => has('faketime') },
  { pkg: 'poppler-utils', present: () => has('pdftotext') },
  { pkg: 'postgresql', present: () => postgresBinaries() },
  // The bench's native baseline for the register import (issue 18): the sqlite3 shell loading the same file.
  { pkg: 'sqlite3', present: () => has('sqlite3') },
];

function postgresBinaries() {
  const base = '/usr/lib/postgresql';
  return fs.existsSync(base) && fs.readdirSync(base).some((v) => fs.existsSync(`${base}/${v}/bin/initdb`));
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const missing = NEEDS.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const canInstall = process.platform === 'linux' && process.getuid?.() === 0 && has('apt-get') && !process.env.TIRKEU_NO_APT;
if (!canInstall) {
  console.error(`The tests need these system packages: ${missing.join(', ')}.\nInstall them with:\n\n  sudo ${command}\n`);
  process.exit(1);
}
console.error(`Installing the system packages the tests need: ${missing.join(', ')}`);
try {
  execFileSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: 'inherit' });
} catch {
  console.error(`Could not install them. Run:\n\n  ${command}\n`);
  process.exit(1);
}
