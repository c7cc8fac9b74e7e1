/**
 * The Electron main process: open the database in the user's data folder (or --data), seed demo data on a
 * first run, register the API over IPC and show the hardened window.
 */
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerIpc } from './ipc';
import { closeApp, openApp, type AppContext } from './services/app';
import { osKeyStoreBox, type SecretBox } from './services/secrets';
import { seedDemoData } from './services/demo-data';
import { defaultDataDir } from './services/paths';
import { startSync, stopSync } from './services/sync/index';
import { startBackupSchedule } from './services/admin/backups';
import { startErequests } from './services/erequests/intake';
import { startPrintoutWarmUp } from './services/desk/printout-warm-up';
import { setUpdateLauncher } from './services/updates/install';
import { createMainWindow, hardenSession, registerAppScheme, serveRenderer } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
// The same default folder as the command line (services/paths.ts): a checkout's .data/, an installed Tirkeu's
// user-data folder.
const dataArg = process.argv.find((a) => a.startsWith('--data='))?.slice('--data='.length);
app.setPath('userData', path.resolve(dataArg ?? defaultDataDir()));

app.enableSandbox();
registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let context: AppContext | null = null;

/**
 * The operating system's key store seals the secrets kept in the database (DPAPI on Windows, libsecret or
 * KWallet on Linux, the Keychain on macOS). Without a real one (Linux with no keyring: Electron's 'basic_text'
 * backend is a fixed key) the services use their key file outside the data folder instead.
 */
function osSecretBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const backend =
    process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform === 'win32' ? 'dpapi' : 'keychain';
  if (backend === 'basic_text' || backend === 'unknown') return undefined;
  return osKeyStoreBox({
    backend,
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  });
}

/**
 * Runs an update installer the services have already verified against the manifest's SHA-512 (services/updates),
 * then quits so the installer can replace this application: the NSIS setup on Windows, the new AppImage on
 * Linux (a .deb opens in the system's package installer, which asks for the administrator's password).
 */
function launchInstaller(file: string): void {
  const child =
    process.platform === 'linux' && file.endsWith('.deb')
      ? spawn('xdg-open', [file], { detached: true, stdio: 'ignore' })
      : (fs.chmodSync(file, 0o755),
        spawn(file, process.platform === 'win32' ? ['--updated', '--force-run'] : [], { detached: true, stdio: 'ignore' }));
  child.unref();
  setTimeout(() => app.quit(), 500);
}

app.whenReady().then(() => {
  try {
    context = openApp({ dataDir: app.getPath('userData'), secrets: osSecretBox() }).app;
  } catch (error) {
    dialog.showErrorBox('Тіркеу', (error as Error).message);
    app.exit(1);
    return;
  }
  const accounts = seedDemoData(context);
  if (accounts) {
    const list = accounts.map((a) => `${a.login}  ${a.password}  (${a.role})`).join('\n');
    process.stdout.write(`Demo accounts (shown once):\n${list}\n`);
    void dialog.showMessageBox({ type: 'info', title: 'Тіркеу — demo', message: 'Demo accounts (shown once)', detail: list });
  }
  hardenSession();
  serveRenderer(path.join(here, '..', 'renderer'));
  registerIpc(context);
  setUpdateLauncher(context, launchInstaller); // updates.install hands a verified installer over (services/updates)
  startBackupSchedule(context); // the daily copy of the database, at start-up when due (services/admin/backups.ts)
  startSync(context); // the background sync loop (idle until the administrator enrolls the workstation)
  startErequests(context); // e-requests pulled from the portal: verify, register, check, answer (issue 8)
  createMainWindow(path.join(here, 'preload.cjs'));
  // Sample talons rendered in idle time, so the first real one is as quick as the hundredth (desk/printout-warm-up.ts).
  startPrintoutWarmUp({
    onError: (error) => context!.log.warn('printout.warm-up-failed', { error: String(error) }),
    onDone: (renders, ms) => context!.log.info('printout.warmed-up', { renders, ms }),
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(path.join(here, 'preload.cjs'));
  });
});

app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  if (context) {
    void stopSync(context);
    closeApp(context);
  }
});
