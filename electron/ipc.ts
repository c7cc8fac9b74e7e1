/**
 * The API over Electron IPC. One channel, `api`; every call goes through the same dispatcher as the web host.
 * The sender frame must be our own top frame on the app:// origin: a navigated or embedded frame gets nothing.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { AppContext } from './services/app';
import type { SessionSlot } from './services/auth';
import { dispatch } from './services/dispatcher';
import { APP_ORIGIN } from './window';

const slots = new WeakMap<WebContents, SessionSlot>();

function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  try {
    // Compare scheme and host: URL.origin of a custom scheme is "null" outside a browser's registry.
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function registerIpc(app: AppContext): void {
  ipcMain.handle('api', async (event, method: unknown, args: unknown) => {
    if (!trustedSender(event)) {
      app.log.warn('ipc.untrusted-sender', { url: event.senderFrame?.url ?? null });
      return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    }
    let slot = slots.get(event.sender);
    if (!slot) {
      slot = { staffId: null };
      slots.set(event.sender, slot);
    }
    return dispatch(app, slot, method, args);
  });
}
