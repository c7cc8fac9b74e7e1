/**
 * One-time log-in links of the web host (browser mode): the host registers how it issues them, so a logged-in
 * administrator can hand another browser a link without restarting (the Administration screen). In the Electron
 * window there is no web host and no link.
 */
import type { AppContext } from '../app';

const issuers = new WeakMap<AppContext, () => string>();

export function registerLinkIssuer(app: AppContext, issue: () => string): () => void {
  issuers.set(app, issue);
  return () => {
    if (issuers.get(app) === issue) issuers.delete(app);
  };
}

/** A fresh one-time link, or null when the application is not served to browsers. */
export function issueLoginLink(app: AppContext): string | null {
  return issuers.get(app)?.() ?? null;
}
