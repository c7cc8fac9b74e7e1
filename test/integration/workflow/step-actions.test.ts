/**
 * The regulation data declares which steps are done through their own action; the workflow dispatches on the
 * declaration through the handlers the domains register at app start. Here: after `openApp`, every action declared
 * in the shipped files has a handler, and the workflow's sources import no domain module.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeApp, openApp } from '../../../electron/services/app';
import { silentLogger } from '../../../electron/services/log';
import { stepActionHandler } from '../../../electron/services/workflow/actions';
import { catalogOf } from '../../../electron/services/workflow/context';
import { tempDir } from '../../helpers/app';

const dir = tempDir();
const { app } = openApp({ dataDir: dir, log: silentLogger });
afterAll(() => {
  closeApp(app);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('step actions at app start', () => {
  it('every step action in the shipped regulation files has a registered handler', () => {
    const declared = catalogOf(app).catalog.all.flatMap((l) =>
      l.definition.steps.flatMap((s) => (s.action ? [{ at: `${l.file}: ${s.id}`, action: s.action }] : [])),
    );
    expect(declared.length).toBeGreaterThan(0);
    const unhandled = declared.filter((d) => !stepActionHandler(d.action)).map((d) => `${d.at}: ${d.action}`);
    expect(unhandled).toEqual([]);
  });

  it('the workflow imports no domain service: it reaches them through the registry', () => {
    const workflowDir = path.join(__dirname, '../../../electron/services/workflow');
    const offending = fs
      .readdirSync(workflowDir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...fs.readFileSync(path.join(workflowDir, f), 'utf8').matchAll(/from '\.\.\/(dispensary|desk|erequests|cash|hiv)\b[^']*'/g)].map(
          (m) => `${f}: ${m[0]}`,
        ),
      );
    expect(offending).toEqual([]);
  });
});
