/**
 * Which links the window may open outside, in the system browser (issue 14): https only, to the state portals a
 * printout or a help text may point at — never an arbitrary address a text field or a crafted page could carry.
 */
const ALLOWED_HOSTS = ['egov.kz', 'gov.kz'];

export function isAllowedExternalLink(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  const host = u.hostname.toLowerCase();
  return ALLOWED_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}
