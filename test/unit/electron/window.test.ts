/**
 * Electron's binary cannot be downloaded here, so the 'electron' module is replaced by a recorder: these tests
 * check what main asks of Electron — the window's security options, navigation and permission refusals, and the
 * IPC sender check — not Electron itself.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const recorded = vi.hoisted(() => ({
  windowOptions: [] as any[],
  handlers: {} as Record<string, (...a: any[]) => any>,
  openHandler: null as null | ((d: { url: string }) => { action: string }),
  permissionRequest: null as null | ((...a: any[]) => void),
  permissionCheck: null as null | ((...a: any[]) => boolean),
  ipc: {} as Record<string, (...a: any[]) => any>,
  schemes: [] as any[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: any;
    constructor(options: any) {
      recorded.windowOptions.push(options);
      this.webContents = {
        on: (event: string, fn: any) => (recorded.handlers[event] = fn),
        setWindowOpenHandler: (fn: any) => (recorded.openHandler = fn),
      };
    }
    removeMenu() {}
    once() {}
    loadURL() {
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: any) => (recorded.ipc[channel] = fn) },
    protocol: { registerSchemesAsPrivileged: (s: any) => recorded.schemes.push(...s), handle: () => undefined },
    net: { fetch: () => undefined },
    shell: { openExternal: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: any) => (recorded.permissionRequest = fn),
        setPermissionCheckHandler: (fn: any) => (recorded.permissionCheck = fn),
      },
    },
  };
});

const { createMainWindow, hardenSession, registerAppScheme, APP_ORIGIN } = await import('../../../electron/window');
const { registerIpc } = await import('../../../electron/ipc');

beforeEach(() => {
  recorded.windowOptions.length = 0;
});

describe('the main window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    createMainWindow('/app/preload.cjs');
    const prefs = recorded.windowOptions[0].webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('refuses navigation away from the app, new windows and webviews', () => {
    createMainWindow('/p.cjs');
    const nav = { preventDefault: vi.fn() };
    recorded.handlers['will-navigate']!(nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    recorded.handlers['will-navigate']!(inside, `${APP_ORIGIN}/index.html#/people`);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    recorded.handlers['will-attach-webview']!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(recorded.openHandler!({ url: 'https://example.kz' })).toEqual({ action: 'deny' });
    expect(recorded.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });

  it('opens outside only https links to the state portals (an allowlist), never any https address', async () => {
    const { shell } = await import('electron');
    const open = shell.openExternal as unknown as ReturnType<typeof vi.fn>;
    open.mockClear();
    createMainWindow('/p.cjs');
    for (const url of ['https://egov.kz/cms/kk', 'https://www.gov.kz/memleket'])
      expect(recorded.openHandler!({ url })).toEqual({ action: 'deny' });
    for (const url of [
      'https://example.kz',
      'https://egov.kz.evil.example/',
      'https://user:pw@egov.kz/',
      'http://egov.kz/',
      'https://egov.kz:8443/',
      'javascript:alert(1)',
    ])
      recorded.openHandler!({ url });
    expect(open.mock.calls.map((c) => c[0])).toEqual(['https://egov.kz/cms/kk', 'https://www.gov.kz/memleket']);
  });

  it('denies every permission request', () => {
    hardenSession();
    const cb = vi.fn();
    recorded.permissionRequest!(null, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheck!()).toBe(false);
  });

  it('registers app:// as a secure standard scheme', () => {
    registerAppScheme();
    expect(recorded.schemes).toContainEqual({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) });
  });
});

describe('IPC', () => {
  it('answers only the app’s own top frame, through the dispatcher', async () => {
    const { createTestWorkstation } = await import('../../helpers/app');
    const ws = createTestWorkstation({ population: 1 });
    try {
      registerIpc(ws.app);
      const handler = recorded.ipc.api!;
      const mainFrame = { url: `${APP_ORIGIN}/index.html` };
      const sender = { mainFrame };
      const ok = await handler({ sender, senderFrame: mainFrame }, 'session.current', {});
      expect(ok).toEqual({ ok: true, value: null, now: expect.any(String) });
      const foreign = { url: 'https://evil.example/' };
      expect(await handler({ sender: { mainFrame: foreign }, senderFrame: foreign }, 'session.current', {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      const subframe = { url: `${APP_ORIGIN}/index.html` };
      expect(await handler({ sender, senderFrame: subframe }, 'session.current', {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await handler({ sender, senderFrame: mainFrame }, 'people.search', { query: 'а' })).toMatchObject({
        ok: false,
        error: { code: 'unauthenticated' },
      });
    } finally {
      ws.close();
    }
  });
});
