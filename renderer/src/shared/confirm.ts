/**
 * Confirmation before an irreversible action (closing the cash shift, disabling an account…), in the window's own
 * dialog rather than the browser's: translated, styled, and keyboard-safe — the focus starts on "Cancel", so an
 * Enter typed from habit does not confirm. `confirmAction` resolves true only when the user chose to go on.
 */
import { ref } from 'vue';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  resolve: (ok: boolean) => void;
}

/** The request on screen (ConfirmDialog.vue, mounted once in App.vue), or null. */
export const pendingConfirm = ref<ConfirmRequest | null>(null);

export function confirmAction(o: { title: string; message: string; confirmLabel: string }): Promise<boolean> {
  pendingConfirm.value?.resolve(false);
  return new Promise((resolve) => {
    pendingConfirm.value = {
      ...o,
      resolve: (ok) => {
        pendingConfirm.value = null;
        resolve(ok);
      },
    };
  });
}
