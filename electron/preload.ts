/**
 * The preload runs sandboxed and imports nothing but 'electron'. It exposes exactly the API contract's method
 * names (inlined at build time from common/api.ts) through one `call`, which refuses any other name before it
 * reaches main; main checks the sender frame and validates the arguments again.
 */
import { contextBridge, ipcRenderer } from 'electron';

declare const __API_METHODS__: string[];
const methods = new Set<string>(__API_METHODS__);

contextBridge.exposeInMainWorld('tirkeu', {
  methods: [...methods],
  call(method: string, args: unknown) {
    if (!methods.has(method))
      return Promise.resolve({ ok: false, error: { code: 'unknown-method', message: `no such method: ${method}` } });
    return ipcRenderer.invoke('api', method, args);
  },
});
