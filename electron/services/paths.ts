import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The same folder Electron's `app.getPath('userData')` gives for the product name, so the CLI and the app share data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TIRKEU_DATA) return path.resolve(env.TIRKEU_DATA);
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Tirkeu');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Tirkeu');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Tirkeu');
}

/** The project root (where package.json, resources/ and dist/ are), from this file's location. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist', 'renderer');
export const RESOURCES_DIR = path.join(PROJECT_ROOT, 'resources');
