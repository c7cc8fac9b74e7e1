/**
 * A fresh SoftHSM2 token for a test file: its own token directory and SOFTHSM2_CONF (never the machine's tokens),
 * initialized with softhsm2-util, keys imported with softhsm2-util and certificates written with pkcs11-tool.
 *
 * SoftHSM reads SOFTHSM2_CONF when the module is initialized, and this project keeps one initialized instance per
 * module per process, so create every token a test file needs before the first PKCS#11 call.
 * Missing tools are an error, never a silent skip: the tests exist to prove signing on a real token.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

function which(tool: string): string | null {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${tool}`])
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

export function softhsmModulePath(): string {
  const fromEnv = process.env.SOFTHSM2_MODULE;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const found = MODULE_CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error('libsofthsm2.so not found: run `apt-get install softhsm2 opensc` (or set SOFTHSM2_MODULE)');
  return found;
}

export function requireSofthsmTools(): void {
  for (const tool of ['softhsm2-util', 'pkcs11-tool', 'openssl']) {
    if (!which(tool)) throw new Error(`${tool} is not installed: run \`apt-get install softhsm2 opensc\` (openssl for the test PKI)`);
  }
  softhsmModulePath();
}

export interface TokenKey {
  /** PEM private key file (any format openssl reads). */
  key: string;
  /** PEM certificate file. */
  cert: string;
  /** CKA_ID in hex. */
  id: string;
  label: string;
}

export interface SoftHsm {
  module: string;
  conf: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  tokens: { label: string; pin: string; soPin: string }[];
  cleanup(): void;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  try {
    return execFileSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(
      `${cmd} ${args.filter((a) => !/^\d{4,}$/.test(a)).join(' ')} failed: ${err.stderr?.toString() || err.stdout?.toString() || err.message}`,
    );
  }
}

/**
 * Creates the tokens and sets process.env.SOFTHSM2_CONF for this process (the PKCS#11 module reads it).
 */
export function createSoftHsm(tokens: { label: string; pin: string; soPin?: string; keys: TokenKey[] }[]): SoftHsm {
  requireSofthsmTools();
  const module = softhsmModulePath();
  const dir = mkdtempSync(join(tmpdir(), 'tirkeu-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const made: SoftHsm['tokens'] = [];
  for (const t of tokens) {
    const soPin = t.soPin ?? '87654321';
    run('softhsm2-util', ['--init-token', '--free', '--label', t.label, '--pin', t.pin, '--so-pin', soPin], env);
    for (const k of t.keys) {
      const pkcs8 = join(dir, `${t.label}-${k.id}.p8.pem`);
      run('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', k.key, '-out', pkcs8], env);
      run('softhsm2-util', ['--import', pkcs8, '--token', t.label, '--label', k.label, '--id', k.id, '--pin', t.pin], env);
      const der = join(dir, `${t.label}-${k.id}.cer`);
      run('openssl', ['x509', '-in', k.cert, '-outform', 'DER', '-out', der], env);
      run(
        'pkcs11-tool',
        [
          '--module',
          module,
          '--token-label',
          t.label,
          '--login',
          '--pin',
          t.pin,
          '--write-object',
          der,
          '--type',
          'cert',
          '--id',
          k.id,
          '--label',
          k.label,
        ],
        env,
      );
      rmSync(pkcs8);
    }
    made.push({ label: t.label, pin: t.pin, soPin });
  }
  process.env.SOFTHSM2_CONF = conf;
  return {
    module,
    conf,
    dir,
    env,
    tokens: made,
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
