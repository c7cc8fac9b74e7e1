/**
 * Issue 18, goal 3: commands that start at once. Whole processes, as a person or a script runs them:
 * - `cli.iin_s`: `tirkeu iin NUMBER` ≤ 0.3 s;
 * - `cli.verify_request_400k_s`: `tirkeu verify-request` of a citizen's signed request against the 400,000-entry
 *   CRL (and the test CA's own) ≤ 1 s: reading and indexing the CRL is most of it.
 * The baseline is the same command run from the TypeScript sources through tsx (TIRKEU_CLI_TSX=1), as before.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeIin } from '../common/iin';
import { PROJECT_ROOT } from '../electron/services/paths';
import { makeBigCrl } from '../test/helpers/crl-writer';
import { createTestPki } from '../test/helpers/pki';
import { figure, median, type BenchContext, type BenchFigure } from './types';

const BIN = join(PROJECT_ROOT, 'bin', 'tirkeu.mjs');

/** Seconds the whole command took, from spawn to exit; throws when it exits otherwise than `expect`. */
function timed(args: string[], expect: number, env: NodeJS.ProcessEnv = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== expect) throw new Error(`tirkeu ${args[0]} exited ${r.status}: ${r.stderr || r.stdout}`);
  return s;
}

function measure(args: string[], expect: number, runs: number): { compiled: number; tsx: number } {
  timed(args, expect); // builds dist/cli if the sources changed, and warms the file cache
  const compiled = Array.from({ length: runs }, () => timed(args, expect));
  const tsx = Array.from({ length: 3 }, () => timed(args, expect, { TIRKEU_CLI_TSX: '1' }));
  return { compiled: median(compiled), tsx: median(tsx) };
}

export default async function cli(ctx: BenchContext): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const runs = ctx.quick ? 3 : 11;
  if (ctx.wants('cli.iin')) {
    ctx.log('tirkeu iin');
    const { compiled, tsx } = measure(['iin', makeIin('1985-03-01', 'F', 11)], 0, runs);
    figures.push(
      figure('cli.iin_s', compiled, 's', 0.3, {
        baseline: { value: tsx, ratio: compiled / tsx, what: 'through tsx' },
        note: `whole process, median of ${runs}`,
      }),
    );
  }
  if (ctx.wants('cli.verify_request')) {
    const entries = ctx.quick ? 40_000 : 400_000;
    ctx.log(`tirkeu verify-request against a ${entries}-entry CRL`);
    const big = makeBigCrl(entries);
    const pki = createTestPki();
    try {
      const file = (name: string, data: string | Uint8Array) => {
        const p = join(ctx.dir, name);
        writeFileSync(p, data);
        return p;
      };
      const request = file('request.p7s', pki.signRequest({ iin: pki.citizenIin, service: 'home-visit' }, 'valid'));
      const args = [
        'verify-request',
        request,
        '--trust',
        pki.caCert,
        '--trust',
        file('big-ca.pem', big.caPem),
        '--crl',
        pki.crl,
        '--crl',
        file('big.crl', big.crlDer),
        '--at',
        pki.clock.now.toISOString(),
      ];
      const { compiled, tsx } = measure(args, 0, runs);
      figures.push(
        figure('cli.verify_request_400k_s', compiled, 's', 1, {
          baseline: { value: tsx, ratio: compiled / tsx, what: 'through tsx' },
          note: `whole process with a ${entries}-entry CRL, median of ${runs}`,
        }),
      );
    } finally {
      pki.cleanup();
    }
  }
  return figures;
}
