import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one default data folder of `npm start`, the Electron window and the command line, so `tirkeu reset-password`
 * acts on the database the application uses: $TIRKEU_DATA; else, run from a source checkout, its `.data/` (demo
 * data stays out of the user's profile); else the folder Electron's `app.getPath('userData')` gives an installed
 * Tirkeu (productName "Tirkeu").
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, root: string = PROJECT_ROOT): string {
  if (env.TIRKEU_DATA) return path.resolve(env.TIRKEU_DATA);
  if (isSourceCheckout(root)) return path.join(root, '.data');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Tirkeu');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Tirkeu');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Tirkeu');
}

/** The sources beside the code that runs: a checkout (or its built dist/), not an installed application. */
export function isSourceCheckout(root: string = PROJECT_ROOT): boolean {
  return !root.includes('app.asar') && fs.existsSync(path.join(root, 'electron', 'main.ts'));
}

/** The project root (where package.json, resources/ and dist/ are), from this file's location. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist', 'renderer');
export const RESOURCES_DIR = path.join(PROJECT_ROOT, 'resources');
