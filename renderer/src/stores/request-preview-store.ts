import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { PdfFile } from '../desk/desk';

/** A PDF made in the main process (a receipt, a certificate, a label) with the title its preview shows. */
export interface Preview {
  file: PdfFile;
  title: string;
}

/**
 * The PDF shown on the request screen. Held outside the panel, which moves from the current step's card to below
 * the history when the step that opened it (the signature) closes the request; a store, so logout closes it.
 */
export const useRequestPreviewStore = defineStore('request-preview', () => {
  const preview = ref<Preview | null>(null);
  return { preview };
});
