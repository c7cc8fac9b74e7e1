/**
 * Saving a file the main process produced (a CSV report, the rejected rows of an import, a PDF) through the
 * browser's download: an object URL for the bytes and a hidden `<a download>` clicked once.
 */

/** Saves `blob` as `fileName` in the user's downloads. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked late, not right after click(): the browser reads the URL after click() has returned, and a URL revoked
  // before that read gives a failed or empty download. Ten seconds is far beyond that read; revoking frees the bytes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves `text` (a CSV by default, UTF-8) as `fileName`. */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  downloadBlob(new Blob([text], { type }), fileName);
}
