/**
 * electron-updater's generic-provider manifest (latest.yml, latest-linux.yml, latest-mac.yml), read by the central
 * server (which files it may serve) and by the workstation (what is new, what to download, its sha512).
 *
 * electron-builder writes a small, fixed subset of YAML: top-level `key: value` scalars, a `files:` list of maps,
 * and `releaseNotes` as a plain, quoted or block (`|`, `|-`, `>`) scalar. This reader takes exactly that subset,
 * so neither side needs a YAML library in its bundle; anything else is refused with the field named.
 */

export interface UpdateFile {
  url: string;
  /** Base64 SHA-512 of the file, as electron-builder writes it. */
  sha512: string;
  size: number | null;
}

export interface UpdateManifest {
  version: string;
  files: UpdateFile[];
  path: string | null;
  sha512: string | null;
  releaseDate: string | null;
  notes: string | null;
}

export class ManifestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ManifestError';
  }
}

/** The manifest a workstation of this platform reads (electron-updater's names). */
export function manifestName(platform: string): string {
  if (platform === 'linux') return 'latest-linux.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return 'latest.yml';
}

export const MANIFEST_NAME = /^latest(-[a-z0-9]+)?\.yml$/;
/** A notes file the administrator may publish beside the manifests instead of `releaseNotes`. */
export const NOTES_FILE = 'release-notes.txt';

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return JSON.parse(v) as string;
  return v;
}

/** Lines indented deeper than `indent`, from `start`: a block scalar's text. */
function blockScalar(lines: string[], start: number, style: string): { text: string; next: number } {
  const body: string[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== '' && !/^\s/.test(line)) break;
    body.push(line);
  }
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  const stripped = body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0));
  let text = style.startsWith('>') ? stripped.join('\n').replace(/([^\n])\n(?=[^\n])/g, '$1 ') : stripped.join('\n');
  text = style.endsWith('-') ? text.replace(/\n+$/, '') : text.replace(/\n*$/, '\n');
  return { text, next: i };
}

export function parseUpdateManifest(text: string): UpdateManifest {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const top: Record<string, string> = {};
  const files: Array<Record<string, string>> = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      i++;
      continue;
    }
    const m = /^([A-Za-z][\w]*):(?:\s+(.*))?$/.exec(line);
    if (!m) throw new ManifestError(`line ${i + 1}`, `not a "key: value" line: ${JSON.stringify(line.slice(0, 60))}`);
    const [, key, rest = ''] = m as unknown as [string, string, string | undefined];
    i++;
    if (key === 'files' && rest.trim() === '') {
      for (; i < lines.length && /^\s+/.test(lines[i]!); i++) {
        const item = /^\s+(-\s+)?([A-Za-z]\w*):\s*(.*)$/.exec(lines[i]!);
        if (!item) throw new ManifestError('files', `unexpected line ${i + 1}`);
        if (item[1] || files.length === 0) files.push({});
        files[files.length - 1]![item[2]!] = unquote(item[3]!);
      }
    } else if (/^[|>][+-]?$/.test(rest.trim())) {
      const block = blockScalar(lines, i, rest.trim());
      top[key] = block.text;
      i = block.next;
    } else top[key] = unquote(rest);
  }
  const version = top.version;
  if (!version || !parseVersion(version))
    throw new ManifestError('version', `expected a version such as 1.2.3, got ${JSON.stringify(version ?? null)}`);
  const parsedFiles: UpdateFile[] = files.map((f, n) => {
    if (!f.url) throw new ManifestError(`files[${n}].url`, 'missing');
    if (!f.sha512 || !/^[A-Za-z0-9+/]+=*$/.test(f.sha512)) throw new ManifestError(`files[${n}].sha512`, 'expected a base64 SHA-512');
    const size = f.size === undefined ? null : Number(f.size);
    if (size !== null && (!Number.isInteger(size) || size < 0)) throw new ManifestError(`files[${n}].size`, 'expected a byte count');
    return { url: f.url, sha512: f.sha512, size };
  });
  if (parsedFiles.length === 0 && top.path && top.sha512) parsedFiles.push({ url: top.path, sha512: top.sha512, size: null });
  if (parsedFiles.length === 0) throw new ManifestError('files', 'the manifest lists no file');
  return {
    version,
    files: parsedFiles,
    path: top.path ?? null,
    sha512: top.sha512 ?? null,
    releaseDate: top.releaseDate ?? null,
    notes: top.releaseNotes ?? null,
  };
}

/** Every file name a manifest refers to (what the server may serve beside the manifest itself). */
export function manifestFiles(m: UpdateManifest): string[] {
  const names = new Set(m.files.map((f) => f.url));
  if (m.path) names.add(m.path);
  for (const f of m.files) names.add(`${f.url}.blockmap`);
  return [...names];
}

/** The installer this platform downloads: the manifest's `path` when listed, else its first file. */
export function installerOf(m: UpdateManifest): UpdateFile {
  return m.files.find((f) => f.url === m.path) ?? m.files[0]!;
}

interface Version {
  core: [number, number, number];
  pre: string[];
}

export function parseVersion(v: string): Version | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

/** Semantic-version order (semver 2.0 §11): -1, 0 or 1. Build metadata is ignored; a pre-release sorts first. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x) throw new ManifestError('version', `not a version: ${JSON.stringify(a)}`);
  if (!y) throw new ManifestError('version', `not a version: ${JSON.stringify(b)}`);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! < y.core[i]! ? -1 : 1;
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
